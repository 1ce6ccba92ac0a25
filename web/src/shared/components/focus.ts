import { MAIN_ID } from "./Layout";

/** Moves the focus to the page's h1 (made focusable), e.g. after a step changes without a navigation. */
export function focusPageHeading() {
    const main = document.getElementById(MAIN_ID);
    const heading = main?.querySelector<HTMLElement>("h1");
    const target = heading ?? main;
    if (target) {
        if (!target.hasAttribute("tabindex")) {
            target.setAttribute("tabindex", "-1");
        }
        target.focus({ preventScroll: true });
        window.scrollTo(0, 0);
    }
}

/** True when a client-side navigation left the focus on <main> (the h1 was not there yet). */
export function focusIsOnMain(): boolean {
    return document.activeElement !== null && document.activeElement === document.getElementById(MAIN_ID);
}
