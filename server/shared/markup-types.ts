/**
 * Content types a browser runs scripts in when it shows them in a tab: HTML, XHTML, SVG and XML (an
 * XSLT stylesheet can bring script along). Pure.
 */
const RUNS_SCRIPT =
  /^(text\/html|application\/xhtml\+xml|image\/svg\+xml|text\/xml|application\/xml|text\/xsl|[a-z0-9.+-]+\/[a-z0-9.+-]+\+xml)$/;

/** The type's essence (no parameters, lower case): "Text/HTML; charset=utf-8" → "text/html". */
export const typeEssence = (type: string | null | undefined): string =>
  (type ?? '').split(';')[0]!.trim().toLowerCase();

export const runsScript = (type: string | null | undefined): boolean => RUNS_SCRIPT.test(typeEssence(type));
