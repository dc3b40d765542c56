/**
 * The OpenNext release that builds the site. SST runs `npx --yes @opennextjs/aws@<this> build`;
 * the same version is an exact devDependency, so npx uses the installed copy and
 * `npm run check:infra` builds exactly what a deploy ships (a test keeps the two equal).
 * Pinned rather than SST's default (a 3.x release) so that upgrades are deliberate.
 */
export const OPEN_NEXT_VERSION = "4.1.12";

/**
 * The Node.js the portal and its functions run on in AWS: the same major the project is developed
 * and tested on (package.json pins the `node` package, which npm scripts run first on the PATH).
 * Explicit rather than SST's default, so that a new SST doesn't move it.
 */
export const NODE_RUNTIME = "nodejs24.x";
