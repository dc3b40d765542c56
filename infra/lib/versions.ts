/**
 * The OpenNext release that builds the site. SST runs `npx --yes @opennextjs/aws@<this> build`;
 * the same version is an exact devDependency, so npx uses the installed copy and
 * `npm run check:infra` builds exactly what a deploy ships (a test keeps the two equal).
 * Pinned rather than SST's default (a 3.x release) so that upgrades are deliberate.
 */
export const OPEN_NEXT_VERSION = "4.1.12";
