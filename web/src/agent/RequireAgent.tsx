import type { ReactNode } from "react";
import { fetchAgent, type Agent } from "./agent";
import { paths } from "../shared/paths";
import { RequireSignedIn } from "../shared/components/RequireSignedIn";

/** For the desk screens: loads GET /api/agent/me and sends the browser to /agent when nobody is signed in. */
export function RequireAgent(props: { children: (agent: Agent) => ReactNode }) {
    return (
        <RequireSignedIn load={fetchAgent} signInPath={paths.agent} spaceName="Guichet DMP">
            {props.children}
        </RequireSignedIn>
    );
}
