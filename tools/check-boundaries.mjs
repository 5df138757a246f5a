#!/usr/bin/env node
/**
 * Module boundaries, from the Nx project graph (imports found in every source file, tests
 * included): an app never imports another app, and libs never import apps. A project's tags
 * (project.json) say what it is; ALLOWED says what each kind may depend on. Tests that need
 * several services together live in the top-level test/ folder, outside every project.
 */
import { createRequire } from 'node:module';

const ALLOWED = {
  'type:service': ['type:lib'],
  'type:lib': ['type:lib'],
  // libs/client goes to front ends on its own: it may import no other project.
  'type:client': [],
};

process.env.NX_DAEMON = 'false';
process.env.NX_NO_CLOUD = 'true';
const { createProjectGraphAsync } = createRequire(import.meta.url)('nx/src/devkit-exports');
const graph = await createProjectGraphAsync({ exitOnError: true });

const kindOf = (name) => {
  const tags = graph.nodes[name]?.data.tags ?? [];
  const kinds = tags.filter((tag) => tag in ALLOWED);
  return kinds.length === 1 ? kinds[0] : undefined;
};

const violations = [];
for (const [source, node] of Object.entries(graph.nodes)) {
  const kind = kindOf(source);
  if (!kind) {
    violations.push(`${source} (${node.data.root}) needs exactly one of the tags ${Object.keys(ALLOWED).join(', ')} in its project.json`);
    continue;
  }
  for (const { target } of graph.dependencies[source] ?? []) {
    if (!graph.nodes[target]) continue; // npm packages
    const targetKind = kindOf(target);
    if (!ALLOWED[kind].includes(targetKind)) {
      violations.push(
        `${source} (${kind}) imports ${target} (${targetKind ?? 'untagged'}): a ${kind} may depend only on ${ALLOWED[kind].join(', ')}`,
      );
    }
  }
}

if (violations.length > 0) {
  console.error(`Module boundaries violated:\n  ${violations.join('\n  ')}`);
  process.exit(1);
}
console.log(`Module boundaries hold: ${Object.keys(graph.nodes).length} projects checked.`);
