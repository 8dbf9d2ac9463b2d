export * from './tenancy';
export * from './auth';
export * from './members';
export * from './audit';
export * from './events';
export * from './courses';
export * from './assessment';
export * from './jobs';
