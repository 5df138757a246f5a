import type { File, Task } from '@vitest/runner';
import type { Reporter } from 'vitest/reporters';

/**
 * Ends the run with the plain "N passed, N failed" line that CI reads in any language.
 *
 * A suite whose setup failed (a `beforeAll` that threw, a file that did not load) leaves its tests
 * unrun; they count as failed, not skipped, so the line never reads green over a broken file.
 */
export default class SummaryReporter implements Reporter {
  onFinished(files: File[] = []): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const visit = (task: Task, insideFailedSuite: boolean): void => {
      if (task.type === 'suite') {
        const suiteFailed = insideFailedSuite || task.result?.state === 'fail';
        for (const child of task.tasks) visit(child, suiteFailed);
        return;
      }
      const state = task.result?.state;
      if (state === 'pass') passed += 1;
      else if (state === 'fail') failed += 1;
      // Vitest marks the tests of a suite whose hook failed as skipped; they never ran.
      else if (insideFailedSuite) failed += 1;
      else skipped += 1;
    };
    for (const file of files) {
      visit(file, false);
      // A file that failed to load has no tests to count, and must still count as a failure.
      if (file.result?.state === 'fail' && file.tasks.length === 0) failed += 1;
    }
    process.stdout.write(`\n${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}\n`);
  }
}
