// @peculiar/x509 resolves its ASN.1 parsers through tsyringe, which needs the Reflect metadata
// polyfill loaded first; ES modules evaluate imports in order.
import 'reflect-metadata';

export * from '@peculiar/x509';
