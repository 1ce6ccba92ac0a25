#!/usr/bin/env node
// Builds the patient / professional web app: web/ -> web/dist/ (served by the Fastify server).
//
//   node scripts/build-web.mjs             always build
//   node scripts/build-web.mjs --if-stale  skip when web/dist/index.html is newer than every input
//
// Steps:
//   1. copy the DSFR static assets (CSS, fonts, icons, favicons) to web/public/dsfr/ with the
//      scripts shipped by @codegouvfr/react-dsfr (that folder is git-ignored);
//   2. run `vite build` through Vite's JS API with web/vite.config.ts.
// Run by the root `postinstall` and before `npm start`, so it must work right after `npm ci`.

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const PREFIX = "build-web:";
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const webDir = path.join(repoRoot, "web");
const configFile = path.join(webDir, "vite.config.ts");
const distIndex = path.join(webDir, "dist", "index.html");

/** Files and folders whose changes make web/dist stale. */
const inputs = [
    path.join(webDir, "src"),
    path.join(webDir, "index.html"),
    configFile,
    // A dependency upgrade (e.g. a new react-dsfr / DSFR version) must rebuild too.
    path.join(repoRoot, "package-lock.json")
];

function fail(message, detail) {
    console.error(`${PREFIX} ERROR: ${message}`);
    if (detail) {
        console.error(String(detail).trim());
    }
    process.exit(1);
}

/** Newest modification time (ms) of a file, or of all files under a folder. 0 if missing. */
function newestMtime(entryPath) {
    let stats;
    try {
        stats = statSync(entryPath);
    } catch {
        return 0;
    }
    if (!stats.isDirectory()) {
        return stats.mtimeMs;
    }
    let newest = stats.mtimeMs; // a deleted file changes its folder's mtime
    for (const entry of readdirSync(entryPath, { withFileTypes: true })) {
        newest = Math.max(newest, newestMtime(path.join(entryPath, entry.name)));
    }
    return newest;
}

function isStale() {
    if (!existsSync(distIndex)) {
        return true;
    }
    const builtAt = statSync(distIndex).mtimeMs;
    return inputs.some((input) => newestMtime(input) >= builtAt);
}

function runReactDsfrBin(binFile, args, what) {
    const require = createRequire(import.meta.url);
    let script;
    try {
        script = require.resolve(`@codegouvfr/react-dsfr/bin/${binFile}`);
    } catch {
        fail("@codegouvfr/react-dsfr is not installed. Run `npm ci` at the repository root first.");
    }
    const result = spawnSync(process.execPath, [script, ...args], {
        cwd: repoRoot,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"]
    });
    if (result.error || result.status !== 0) {
        fail(
            `${what} failed (exit code ${result.status ?? "none"}).`,
            [result.error?.message, result.stdout, result.stderr].filter(Boolean).join("\n")
        );
    }
}

/**
 * The two steps react-dsfr prescribes for Vite (its `copy-dsfr-to-public` and
 * `react-dsfr update-icons` commands), run with this Node, never through npx.
 */
function copyDsfrAssets() {
    // The copy script exits when the public folder is missing; it is not in git (only dsfr/ would be).
    mkdirSync(path.join(webDir, "public"), { recursive: true });
    // 1. Copies the DSFR CSS, fonts and favicons (only the files dsfr.min.css uses) to
    //    web/public/dsfr/, and sets `?v=<DSFR version>` on the /dsfr/ links of web/index.html.
    //    Does nothing when web/public/dsfr/version.txt already has the installed DSFR version.
    runReactDsfrBin("copy-dsfr-to-public.js", ["--projectDir", webDir], "copying the DSFR assets to web/public/dsfr");
    // 2. Looks for the fr-icon-* / ri-* class names used in web/ (and in react-dsfr's components),
    //    writes an icons.min.css with only those icons, copies their SVG files, and sets
    //    `?hash=<content hash>` on the icons.min.css link of web/index.html.
    runReactDsfrBin("react-dsfr.js", ["update-icons", "--projectDir", webDir, "--silent"], "selecting the DSFR icons");
    for (const file of ["dsfr.min.css", path.join("utility", "icons", "icons.min.css")]) {
        if (!existsSync(path.join(webDir, "public", "dsfr", file))) {
            fail(`web/public/dsfr/${file} is missing after the DSFR copy.`);
        }
    }
}

async function viteBuild() {
    let build;
    try {
        ({ build } = await import("vite"));
    } catch (error) {
        fail(
            "Vite is not installed (it is a devDependency). Run `npm ci` without --omit=dev, or build web/dist before.",
            error?.message
        );
    }
    try {
        await build({ configFile, logLevel: "warn", clearScreen: false });
    } catch (error) {
        fail("vite build failed.", error?.message ?? error);
    }
    if (!existsSync(distIndex)) {
        fail("vite build finished but web/dist/index.html is missing.");
    }
}

async function main() {
    const args = process.argv.slice(2);
    const unknown = args.filter((arg) => arg !== "--if-stale");
    if (unknown.length > 0) {
        fail(`unknown option(s): ${unknown.join(" ")}. Usage: node scripts/build-web.mjs [--if-stale]`);
    }
    if (args.includes("--if-stale") && !isStale()) {
        console.log(`${PREFIX} web/dist is up to date, nothing to do.`);
        return;
    }
    const started = performance.now();
    copyDsfrAssets();
    await viteBuild();
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`${PREFIX} copied the DSFR assets and built web/dist in ${seconds} s.`);
}

main().catch((error) => fail("unexpected error.", error?.stack ?? error));
