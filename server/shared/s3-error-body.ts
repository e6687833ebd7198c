/** The `<Code>` and `<Message>` of an S3 error answer's XML body ('' for either it does not have). */
export function s3ErrorOf(body: string): { code: string; message: string } {
  return {
    code: /<Code>([^<]*)<\/Code>/.exec(body)?.[1] ?? '',
    message: /<Message>([^<]*)<\/Message>/.exec(body)?.[1] ?? '',
  };
}
