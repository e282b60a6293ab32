export { ProvidersService } from './providers.service';
export { providerCredentialAad } from './provider-sealing';
