import { Aspects, type IAspect, TerraformDataSource, TerraformElement, TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";
import { isRenderingHcl } from "../../modules/common/hcl-rendering";
import {
  POLICY_EXCEPTION_METADATA,
  type PolicyException,
  policyExceptionsOf,
} from "../../modules/common/policy-exceptions";
import type { PolicyFinding, PolicyReport } from "./report";
import { PolicyContext, type PolicyRule, STACK_SUBJECT } from "./rule";
import { POLICY_RULES } from "./rules";
import { type TerraformDocument, TerraformModel } from "./terraform-model";

export interface PolicyPackProps {
  /** Environment name, written into the report. */
  readonly environment: string;
  /** Production-marked environments also get the production-only rules. */
  readonly production: boolean;
  /** The rules to evaluate. @default POLICY_RULES */
  readonly rules?: readonly PolicyRule[];
  /** Principal ARNs the environment shares its cluster with (sharing.accounts). @default [] */
  readonly sharedPrincipals?: readonly string[];
}

/** An exception as declared in code, and whether any finding used it. */
export interface DeclaredException {
  readonly constructPath: string;
  readonly exception: PolicyException;
  readonly used: boolean;
}

/** True when an exception names the rule or one of the scanner checks it mirrors. */
export function exceptionCovers(exception: PolicyException, rule: PolicyRule): boolean {
  return exception.checks.some((check) => check === rule.id || rule.mirrors.includes(check));
}

/**
 * The guardrail policy pack as a CDKTF Aspect. Added to a stack, it evaluates every rule on the stack's
 * resolved Terraform JSON when synth invokes aspects, turns findings covered by a declared exception into
 * "excepted", and keeps the report for the synth command to enforce and write.
 */
export class PolicyPack implements IAspect {
  /** The report of the last evaluation; undefined until the stack is synthesized. */
  report?: PolicyReport;
  /** Every exception declared inside the stack, after the last evaluation. */
  exceptions: DeclaredException[] = [];
  private readonly rules: readonly PolicyRule[];

  constructor(private readonly props: PolicyPackProps) {
    this.rules = (props.rules ?? POLICY_RULES).filter((rule) => props.production || !rule.productionOnly);
  }

  /** Adds a pack to `stack`; it runs on every synth of that stack. */
  static apply(stack: TerraformStack, props: PolicyPackProps): PolicyPack {
    const pack = new PolicyPack(props);
    Aspects.of(stack).add(pack);
    return pack;
  }

  /** The pack added to `stack`, if any. */
  static of(stack: TerraformStack): PolicyPack | undefined {
    return Aspects.of(stack).all.find((aspect): aspect is PolicyPack => aspect instanceof PolicyPack);
  }

  visit(node: IConstruct): void {
    // Aspects visit every construct; the rules read the whole stack once, at the stack itself.
    if (!TerraformStack.isStack(node)) return;
    evaluatedDocuments.delete(node);
    const document = node.toTerraform() as TerraformDocument;
    this.evaluateDocument(node, document);
    evaluatedDocuments.set(node, document);
  }

  /** Evaluates every rule on the stack's Terraform as synthesized now. */
  evaluate(stack: TerraformStack): PolicyReport {
    return this.evaluateDocument(stack, stack.toTerraform() as TerraformDocument);
  }

  private evaluateDocument(stack: TerraformStack, document: TerraformDocument): PolicyReport {
    const context = new PolicyContext(
      new TerraformModel(document),
      this.props.production,
      this.props.sharedPrincipals ?? [],
    );
    const elements = elementsByAddress(stack);
    const used = new Set<PolicyException>();
    const findings: PolicyFinding[] = [];
    for (const rule of this.rules) {
      for (const violation of rule.check(context)) {
        const address = violation.subject === STACK_SUBJECT ? STACK_SUBJECT : violation.subject.address;
        const construct = violation.subject === STACK_SUBJECT ? stack : (elements.get(address) ?? stack);
        const constructPath =
          violation.subject === STACK_SUBJECT ? stack.node.path : violation.subject.constructPath;
        const exception = policyExceptionsOf(construct).find((e) => exceptionCovers(e, rule));
        if (exception) used.add(exception);
        const reason = exception?.reason;
        findings.push({
          ruleId: rule.id,
          mirrors: rule.mirrors,
          address,
          constructPath,
          message: violation.message,
          fix: violation.fix ?? rule.fix,
          status: reason === undefined ? "violation" : "excepted",
          ...(reason === undefined ? {} : { exceptionReason: reason }),
        });
      }
    }
    this.exceptions = declaredExceptions(stack).map(({ constructPath, exception }) => ({
      constructPath,
      exception,
      used: used.has(exception),
    }));
    this.report = {
      environment: this.props.environment,
      rulesEvaluated: this.rules.map((r) => r.id),
      findings,
    };
    return this.report;
  }
}

/**
 * The Terraform JSON each stack's pack evaluated while synth invoked the stack's aspects. Synth renders the
 * stack right after that (validations, assets and annotations change nothing in it), so rendering it
 * again would produce the same document: a stack hands this one out once instead (evaluatedTerraformOr).
 * It holds only while the pack runs after every aspect that changes the stack, which visit at the stack
 * (ExclusiveRolePolicies is added before the pack); the output comparison in test/policy.test.ts checks it.
 */
const evaluatedDocuments = new WeakMap<TerraformStack, TerraformDocument>();

/**
 * A stack's `toTerraform()`: the document its policy pack just evaluated during this synth, if any (once),
 * otherwise `render()`. Never while the stack renders HCL, where some values take another form.
 */
export function evaluatedTerraformOr(
  stack: TerraformStack,
  render: () => ReturnType<TerraformStack["toTerraform"]>,
): ReturnType<TerraformStack["toTerraform"]> {
  const evaluated = evaluatedDocuments.get(stack);
  evaluatedDocuments.delete(stack);
  return evaluated !== undefined && !isRenderingHcl(stack) ? evaluated : render();
}

/** Resource and data-source constructs by Terraform address, to find the exceptions declared on them. */
function elementsByAddress(stack: TerraformStack): Map<string, IConstruct> {
  const map = new Map<string, IConstruct>();
  for (const node of stack.node.findAll()) {
    if (!(node instanceof TerraformElement)) continue;
    const type = (node as TerraformElement & { terraformResourceType?: string }).terraformResourceType;
    if (type === undefined) continue;
    const prefix = node instanceof TerraformDataSource ? "data." : "";
    map.set(`${prefix}${type}.${node.friendlyUniqueId}`, node);
  }
  return map;
}

function declaredExceptions(stack: TerraformStack): { constructPath: string; exception: PolicyException }[] {
  return stack.node
    .findAll()
    .flatMap((node) =>
      node.node.metadata
        .filter((m) => m.type === POLICY_EXCEPTION_METADATA)
        .map((m) => ({ constructPath: node.node.path, exception: m.data as PolicyException })),
    );
}
