// Components under test wait for what the user would see; on a loaded 2-core CI machine, with the integration
// project's Chromium and Postfix beside them, testing-library's default 1 s for findBy/waitFor is too short to
// tell slow from broken. Five seconds still fails a test whose text never comes.
import { configure } from '@testing-library/dom';

configure({ asyncUtilTimeout: 5_000 });
