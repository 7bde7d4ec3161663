/**
 * Tests that memory was released: weak references are the one way to observe it. A WeakRef keeps
 * its target for the rest of the turn that made it, so the target is looked for from later turns
 * of the event loop, for a while (a busy machine), and the answer is a boolean so that a failure
 * does not make the runner print the object.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

/** Whether `ref`'s target is collected within about a second (full GCs forced in between). */
export async function freedSoon(ref: WeakRef<object>): Promise<boolean> {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  for (let i = 0; i < 50; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    gc();
    gc();
    if (ref.deref() === undefined) return true;
  }
  return false;
}
