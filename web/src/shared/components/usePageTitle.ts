import { useEffect } from "react";

const SITE_NAME = "Mon DMP";

/** Sets the browser tab title: "<page> - Mon DMP" (RGAA 8.6: each page has a relevant title). */
export function usePageTitle(title: string) {
    useEffect(() => {
        document.title = title === SITE_NAME ? SITE_NAME : `${title} - ${SITE_NAME}`;
    }, [title]);
}
