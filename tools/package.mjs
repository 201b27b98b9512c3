// Kept so callers of the old path keep working: the packaging command lives in tools/packaging/src/package.ts.
import '#packaging/cli';
