// Types of the generated schema/zcspec.validators.js (see schema/generate.mjs).
import type { ValidateFunction } from "ajv/dist/2020.js";

/** The whole spec file (zcspec.schema.json). */
export declare const validateSpec: ValidateFunction;
/** One block of parameters: defaults, a case, a matrix cell. */
export declare const validateParams: ValidateFunction;
/** A shared defaults file named by `extends` (zcspec-defaults.schema.json). */
export declare const validateDefaultsFile: ValidateFunction;
