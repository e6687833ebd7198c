import { createContext, useContext, type MouseEvent } from 'react';

/** The object list's heading (object-browser.tsx), where the link takes the focus. */
export const OBJECTS_HEADING_ID = 'objects-heading';

const toObjects = (e: MouseEvent) => {
  e.preventDefault(); // no "#…" in the address: the folder is in its query, and history stays as it is
  const heading = document.getElementById(OBJECTS_HEADING_ID);
  if (!heading) return;
  heading.tabIndex = -1;
  heading.focus();
};

/** Whether the page shows the object list now (app.tsx): the links to it are there only then. */
export const ObjectsShown = createContext(true);

/**
 * A link to the object list, seen only while it has the keyboard focus (WCAG 2.4.1, bypass blocks): first
 * on the page, and before each transfer list, whose rows are a Tab stop or two each (with 150 files
 * queued, "Choose files" was 306 presses of Tab from the object list).
 */
export function SkipToObjects() {
  // No list (the server unreachable, signed out): a link to nowhere would only be a Tab stop more.
  if (!useContext(ObjectsShown)) return null;
  return (
    <a className="skip-link" href={`#${OBJECTS_HEADING_ID}`} onClick={toObjects}>
      Skip to the objects
    </a>
  );
}
