export type {
  Clock, Env, FileHandle, FileStat, FileSystem, OpenMode, ProcessInfo, Random, TimerHandle, Timers,
} from './env.ts';
export { createNodeEnv, type NodeEnvOptions } from './node-env.ts';
export { createSimEnv, SimFileSystem, type SimEnv, type SimEnvOptions } from './sim-env.ts';
export { SeededRandom } from './seeded-random.ts';
