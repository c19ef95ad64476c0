/**
 * The topic manager's decision as a pure function, over many (declared, actual, previous) combinations:
 * what it creates, grows, reconfigures and deletes, what it refuses (and that a refusal changes nothing),
 * and that a topic is only ever deleted when it is retired.
 */
import type { DesiredTopic } from "../modules/topics/handler/contract";
import {
  type ActualTopic,
  matchesDeclaration,
  planReconcile,
  type TopicOperation,
} from "../modules/topics/handler/reconcile";

const desired = (
  name: string,
  partitions: number,
  replicationFactor = 3,
  configs: Record<string, string> = {},
): DesiredTopic => ({
  name,
  partitions,
  replicationFactor,
  configs,
});

const actual = (
  name: string,
  partitionCount: number,
  replicationFactor = 3,
  configs: Record<string, string> = {},
  status: ActualTopic["status"] = "ACTIVE",
): ActualTopic => ({
  name,
  partitionCount,
  replicationFactor,
  // DescribeTopic reports broker defaults too: the manager compares declared keys only.
  configs: { "cleanup.policy": "delete", "retention.ms": "604800000", ...configs },
  status,
});

const kinds = (ops: readonly TopicOperation[]) =>
  ops.map((op) => `${op.kind} ${op.kind === "create" ? op.topic.name : op.name}`);

describe("one topic, every combination of declared and actual partitions, replication and configs", () => {
  const partitionCounts = [1, 3, 6, 12];
  const replication = [1, 2, 3];
  const configSets: Record<string, string>[] = [
    {},
    { "retention.ms": "86400000" },
    { "cleanup.policy": "compact,delete", "max.message.bytes": "2097152" },
  ];
  const cases: [number, number | undefined, number, number, number, number][] = [];
  for (const want of partitionCounts)
    for (const have of [undefined, ...partitionCounts])
      for (const wantRf of replication)
        for (const haveRf of replication)
          for (let wantConfigs = 0; wantConfigs < configSets.length; wantConfigs++)
            for (let haveConfigs = 0; haveConfigs < configSets.length; haveConfigs++)
              cases.push([want, have, wantRf, haveRf, wantConfigs, haveConfigs]);

  it(`decides correctly in all ${cases.length} cases`, () => {
    for (const [want, have, wantRf, haveRf, wc, hc] of cases) {
      const topic = desired("orders", want, wantRf, configSets[wc]);
      const current = have === undefined ? undefined : actual("orders", have, haveRf, configSets[hc]);
      const plan = planReconcile({ topics: [topic], retired: [] }, new Map([["orders", current]]));
      const label = JSON.stringify({ want, have, wantRf, haveRf, wc, hc });
      if (current === undefined) {
        expect([label, kinds(plan.operations)]).toEqual([label, ["create orders"]]);
        expect(plan.problems).toEqual([]);
        continue;
      }
      const impossible = want < current.partitionCount || wantRf !== haveRf;
      if (impossible) {
        // Nothing at all is changed when any part is impossible.
        expect([label, plan.operations]).toEqual([label, []]);
        expect(plan.problems.length).toBeGreaterThan(0);
        if (want < current.partitionCount)
          expect(plan.problems.join(" ")).toContain(`partitions cannot go from ${have} down to ${want}`);
        if (wantRf !== haveRf)
          expect(plan.problems.join(" ")).toContain(
            `replication factor is ${haveRf} on the cluster and ${wantRf}`,
          );
        continue;
      }
      expect(plan.problems).toEqual([]);
      const grow = plan.operations.find((op) => op.kind === "add-partitions");
      expect([label, grow === undefined]).toEqual([label, want === have]);
      if (grow?.kind === "add-partitions") expect([grow.from, grow.to]).toEqual([have, want]);
      const cfg = plan.operations.find((op) => op.kind === "update-configs");
      const differs = Object.entries(configSets[wc]).some(
        ([k, v]) => actual("x", 1, 1, configSets[hc]).configs[k] !== v,
      );
      expect([label, cfg !== undefined]).toEqual([label, differs]);
      // UpdateTopic receives the complete declared configs, not only the changed keys.
      if (cfg?.kind === "update-configs") expect(cfg.configs).toEqual(configSets[wc]);
      expect(plan.operations.some((op) => op.kind === "delete" || op.kind === "create")).toBe(false);
      // After the plan is applied, the declaration is matched.
      const after = actual("orders", want, wantRf, { ...configSets[hc], ...configSets[wc] });
      expect(matchesDeclaration(topic, after)).toBe(true);
    }
  });
});

describe("several topics at once", () => {
  it("applies what it can only when nothing is impossible", () => {
    const declared = { topics: [desired("a", 3), desired("b", 6), desired("c", 1)], retired: [] };
    const fine = planReconcile(
      declared,
      new Map([
        ["a", undefined],
        ["b", actual("b", 3)],
        ["c", actual("c", 1)],
      ]),
    );
    expect(kinds(fine.operations)).toEqual(["create a", "add-partitions b"]);
    expect(fine.notes).toContain("c: unchanged");
    const blocked = planReconcile(
      declared,
      new Map([
        ["a", undefined],
        ["b", actual("b", 3)],
        ["c", actual("c", 2)],
      ]),
    );
    expect(blocked.operations).toEqual([]);
    expect(blocked.problems).toEqual([expect.stringContaining("c: partitions cannot go from 2 down to 1")]);
  });

  it("deletes only retired topics that exist; an absent retired topic is a note", () => {
    const plan = planReconcile(
      {
        topics: [desired("kept", 3)],
        retired: [
          { name: "old", reason: "replaced by kept" },
          { name: "gone", reason: "cleaned up earlier" },
        ],
      },
      new Map([
        ["kept", actual("kept", 3)],
        ["old", actual("old", 6)],
        ["gone", undefined],
      ]),
    );
    expect(kinds(plan.operations)).toEqual(["delete old"]);
    expect(plan.notes).toContain("gone: retired and already absent");
  });

  it("never deletes a topic that is no longer declared: it is left alone and said so", () => {
    const previous = { topics: [desired("kept", 3), desired("dropped", 3)], retired: [] };
    const plan = planReconcile(
      { topics: [desired("kept", 3)], retired: [] },
      new Map([["kept", actual("kept", 3)]]),
      previous,
    );
    expect(plan.operations).toEqual([]);
    expect(plan.notes).toContain(
      "dropped: no longer declared, left on the cluster as it is (retire it to delete it)",
    );
  });

  it("says when a config key stops being managed", () => {
    const previous = {
      topics: [desired("t", 3, 3, { "retention.ms": "86400000", "max.message.bytes": "2097152" })],
      retired: [],
    };
    const plan = planReconcile(
      { topics: [desired("t", 3, 3, { "retention.ms": "86400000" })], retired: [] },
      new Map([["t", actual("t", 3, 3, { "retention.ms": "86400000", "max.message.bytes": "2097152" })]]),
      previous,
    );
    expect(plan.operations).toEqual([]);
    expect(plan.notes.join(" ")).toContain("t: max.message.bytes no longer declared");
  });

  it("refuses a topic both declared and retired, a duplicate, and a topic still being deleted", () => {
    expect(
      planReconcile(
        { topics: [desired("x", 1)], retired: [{ name: "x", reason: "both at once" }] },
        new Map(),
      ).problems,
    ).toEqual(["x: both declared and retired; keep one"]);
    expect(
      planReconcile({ topics: [desired("x", 1), desired("x", 2)], retired: [] }, new Map()).problems,
    ).toEqual(["x: declared more than once"]);
    const deleting = planReconcile(
      { topics: [desired("x", 1)], retired: [] },
      new Map([["x", actual("x", 1, 3, {}, "DELETING")]]),
    );
    expect(deleting.operations).toEqual([]);
    expect(deleting.problems[0]).toContain("still deleting it");
  });

  it("reads cleanup.policy lists in any order, and waits for ACTIVE before calling a topic done", () => {
    const topic = desired("t", 3, 3, { "cleanup.policy": "compact,delete" });
    const plan = planReconcile(
      { topics: [topic], retired: [] },
      new Map([["t", actual("t", 3, 3, { "cleanup.policy": "delete,compact" })]]),
    );
    expect(plan.operations).toEqual([]);
    expect(
      matchesDeclaration(topic, actual("t", 3, 3, { "cleanup.policy": "compact,delete" }, "UPDATING")),
    ).toBe(false);
    expect(matchesDeclaration(topic, undefined)).toBe(false);
  });
});
