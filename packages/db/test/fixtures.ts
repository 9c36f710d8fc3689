// @kinerja/testing depends on @kinerja/db; importing it by path (not as a workspace dependency) keeps the package
// graph acyclic while db's own tests still use the shared fixtures on real services.
export { createTestDb, createUnmigratedPglite, dbKinds } from '../../testing/src/index.js';
