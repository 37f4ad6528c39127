export { ensureLiteCredentials, RegistrationError, type LiteCredentials, type LiteRegistrationOptions } from './register-lite.ts';
export { startRegistrationServer, type RegistrationServerOptions, type RunningRegistrationServer } from './registration-server.ts';
export { LITE_GROUP, liteUserName } from './lite-identity.ts';
export { REGISTER_PATH, type RegistrationRequest, type RegistrationResponse } from './registration-types.ts';
