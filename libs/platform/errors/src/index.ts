export * from './app-error';
export * from './superseded';
export * from './unhandled-rejections';
