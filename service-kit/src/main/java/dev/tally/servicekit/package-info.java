/**
 * What every Tally service's edge shares, so that a rule about who may call what, how keys are hashed, how secrets
 * are sealed or which addresses a tenant may make a service call is written once.
 */
package dev.tally.servicekit;
