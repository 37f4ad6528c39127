// The shim must be evaluated before @peculiar/x509 loads tsyringe; ES modules evaluate imports in order.
import './reflect-metadata-shim.ts';

export * from '@peculiar/x509';
