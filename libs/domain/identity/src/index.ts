export * from './auth.service';
export * from './organizations.service';
export * from './invitations.service';
export * from './tokens.service';
export * from './identity.module';
