/** The page cursor signing key of tests: handlers read it from PAGE_CURSOR_KEY, repositories get it injected. */
export const TEST_PAGE_CURSOR_KEY = 'test-page-cursor-key-never-used-outside-tests';
