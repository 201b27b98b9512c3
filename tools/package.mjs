// Kept so callers of the old path keep working: the packaging command lives in tools/packaging/src/package.mjs.
import '#packaging/cli';
