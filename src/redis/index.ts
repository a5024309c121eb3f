// What the rest of bearer-guard uses of the Redis backend (not the package's public index).
export { loadIoredis, type RedisClass } from './load-ioredis.js';
export { redisUrlLabel, checkRedisUrl } from './url.js';
export { DEFAULT_REDIS_PREFIX, redisNames, type RedisNames } from './names.js';
export { RedisKeyStore } from './key-store.js';
export type { RedisKeyStoreOptions } from './key-store-options.js';
export type { KeyringUpdate } from './update.js';
export { RedisReplayStore } from './replay-store.js';
export { connectRedis, clientLabel } from './connect.js';
export { redisErrorCode } from './errors.js';
export type { RedisLogger } from './health.js';
