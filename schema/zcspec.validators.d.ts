// Types of the generated schema/zcspec.validators.js (see schema/generate.mjs).
import type { ValidateFunction } from "ajv/dist/2020.js";

/** The whole spec file (zcspec.schema.json). */
export declare const validateSpec: ValidateFunction;
/** One block of parameters: defaults, a case, a matrix cell. */
export declare const validateParams: ValidateFunction;
/** A shared defaults file named by `extends` (zcspec-defaults.schema.json). */
export declare const validateDefaultsFile: ValidateFunction;
/** Any `zcspec receive` message: the fields every version has (receive.schema.json). */
export declare const validateReceiveEnvelope: ValidateFunction;
/** Sender to receiver: listen and verify. */
export declare const validateReceiveListen: ValidateFunction;
/** Sender to receiver: the case has ended. */
export declare const validateReceiveStop: ValidateFunction;
/** Sender to receiver: the measured window began or ended. */
export declare const validateReceiveMark: ValidateFunction;
/** Receiver to sender: listening on a port. */
export declare const validateReceiveReady: ValidateFunction;
/** Receiver to sender: it cannot do what was asked. */
export declare const validateReceiveError: ValidateFunction;
/** Receiver to sender: what arrived, and the host. */
export declare const validateReceiveResult: ValidateFunction;
