import { type PolicyLocation, policyDocuments } from "./policy-documents";
import type { TerraformModel, TfResource } from "./terraform-model";

/** The stack as a whole (backend settings), for findings that belong to no resource. */
export const STACK_SUBJECT = "terraform.backend";

/** One failed check on one resource. */
export interface RuleViolation {
  /** The resource the finding is about, or the stack for backend findings. */
  readonly subject: TfResource | typeof STACK_SUBJECT;
  /** What is wrong, with the value found. */
  readonly message: string;
  /** How to fix it, when more specific than the rule's fix. */
  readonly fix?: string;
}

/**
 * What a rule sees: the stack's Terraform, whether it is production, the principals the environment file
 * shares its cluster with, and the stack's policy documents.
 */
export class PolicyContext {
  private documents?: PolicyLocation[];

  constructor(
    readonly model: TerraformModel,
    readonly production: boolean,
    readonly sharedPrincipals: readonly string[] = [],
  ) {}

  get policies(): PolicyLocation[] {
    this.documents ??= policyDocuments(this.model);
    return this.documents;
  }
}

/** One guardrail: one check, a stable id, the scanner checks it mirrors, and how to fix a violation. */
export interface PolicyRule {
  /** Stable id, e.g. "MSKP-S3-001". Never reuse or renumber: exceptions and reports refer to it. */
  readonly id: string;
  /** checkov / trivy ids this rule mirrors (empty for platform rules no scanner has). */
  readonly mirrors: readonly string[];
  /** One line: what the rule requires. */
  readonly title: string;
  /** Evaluated only for production-marked environments. @default false */
  readonly productionOnly?: boolean;
  /** The general fix, shown with every violation that has no specific one. */
  readonly fix: string;
  readonly check: (context: PolicyContext) => RuleViolation[];
}

/** A violation on `subject` unless `ok`. */
export function unless(
  ok: boolean,
  subject: RuleViolation["subject"],
  message: string,
  fix?: string,
): RuleViolation[] {
  return ok ? [] : [{ subject, message, fix }];
}
