import { useEffect, useRef, type RefObject } from "react";

/**
 * Gives the focus back after a confirmation dialog (WCAG 2.4.3). DSFR gives it to the first
 * button that controls the dialog, which with react-dsfr is a hidden control button (or the first
 * of several «Bloquer» buttons): the focus fell on <body>, at the top of the page. This hook
 * remembers the button that opened the dialog and gives it the focus back whenever the dialog
 * closes (Escape, «Fermer», «Non», or after «Oui» when the action failed).
 *
 * After a confirmed action the button may be gone (the professional is blocked, the access
 * withdrawn): `afterAction(fallback)` then moves the focus to `fallback`, the message that says
 * what was done.
 */
export function useDialogFocus(dialogId: string) {
    const opener = useRef<HTMLElement | null>(null);

    useEffect(() => {
        // Listened on the document, in the capture phase: the dialog may not be rendered yet.
        function remember(event: Event) {
            const button = event.target instanceof Element ? event.target.closest<HTMLElement>(`[aria-controls="${dialogId}"]`) : null;
            if (button !== null && button.closest(`#${dialogId}`) === null) opener.current = button;
        }
        function giveBack(event: Event) {
            if (event.target instanceof Element && event.target.id === dialogId) focusSoon(() => usable(opener.current));
        }
        document.addEventListener("click", remember, true);
        document.addEventListener("dsfr.conceal", giveBack, true);
        return () => {
            document.removeEventListener("click", remember, true);
            document.removeEventListener("dsfr.conceal", giveBack, true);
        };
    }, [dialogId]);

    return {
        /** Once the page shows the result: the opener if it is still there, else `fallback`. */
        afterAction(fallback: RefObject<HTMLElement | null>) {
            focusSoon(() => usable(opener.current) ?? fallback.current);
        }
    };
}

function usable(element: HTMLElement | null): HTMLElement | null {
    return element !== null && element.isConnected && element.getClientRects().length > 0 ? element : null;
}

/**
 * Focuses the target on the next frames, and again whenever the focus is elsewhere during them:
 * DSFR tries its own focus right after the event and lifts `inert` from the page on a later
 * frame, and React may still be drawing the result of the action (the opener removed).
 */
function focusSoon(target: () => HTMLElement | null, frames = 12) {
    window.requestAnimationFrame(() => {
        const element = target();
        if (element !== null && document.activeElement !== element) {
            if (!element.matches("a[href], button, input, select, textarea, [tabindex]")) element.setAttribute("tabindex", "-1");
            element.focus();
        }
        if (frames > 0) focusSoon(target, frames - 1);
    });
}
