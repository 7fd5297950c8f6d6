// esbuild's keepNames wraps every function it names in a call, `__name(fn, "name")`, which sets the function's name by
// Object.defineProperty. For a function written inside another one (an object's methods built per call, a callback per
// request) that call runs every time the outer function does: in a profile of the orders bench it was 3 % of the app's
// CPU (bench/RESULTS.md, issue 22). Where JavaScript itself gives the function that same name, the wrapper changes
// nothing but the cost, and unwrapInferredNames removes it:
//
//   x = __name(() => …, "x")          x = () => …          (a variable's initialiser, an assignment to an identifier)
//   { get: __name(function () …, "get") }                  (an object literal's property, a class field)
//   function next() {…} __name(next, "next");              (a function declaration: the statement goes)
//
// It keeps every wrapper whose name JavaScript would not give: esbuild renamed the binding (two modules' `Decimal`
// became `Decimal2`: the wrapper is what keeps `.name` "Decimal", which Nest and TypeORM read), a computed or private
// key, a function that already has a name of its own, a class (its name comes from a static block, not from here).
import { parse } from 'acorn';

/** The bundle without the redundant `__name(fn, "name")` calls (see above), and how many cuts that took. */
export function unwrapInferredNames(source, helper = '__name') {
  const ast = parse(source, { ecmaVersion: 'latest', sourceType: 'script', allowHashBang: true, allowReturnOutsideFunction: true });
  /** Ranges to delete: the wrapper's head `__name(` and its tail `, "name")`, around the function kept in place. */
  const cuts = [];
  const visit = (node, parent) => {
    if (node.type === 'CallExpression' && parent && redundant(node, parent, helper)) {
      const [fn] = node.arguments;
      cuts.push([node.start, fn.start], [fn.end, node.end]);
    }
    // A declaration's own name restated: a statement of its own in a block goes whole; in a sequence
    // (`__name(a, "a"), exporter("a", a)`), it goes with its comma, unless it is the last element.
    if (BLOCKS.has(node.type)) {
      for (const statement of node.type === 'SwitchCase' ? node.consequent : node.body) {
        if (statement.type === 'ExpressionStatement' && restated(statement.expression, helper)) cuts.push([statement.start, statement.end]);
      }
    }
    if (node.type === 'SequenceExpression') {
      const all = node.expressions;
      for (let i = 0; i < all.length - 1; i++) if (restated(all[i], helper)) cuts.push([all[i].start, all[i + 1].start]);
    }
    for (const key in node) {
      if (key === 'type' || key === 'start' || key === 'end') continue;
      const value = node[key];
      if (Array.isArray(value)) {
        for (const child of value) if (child && typeof child.type === 'string') visit(child, node);
      } else if (value && typeof value.type === 'string') visit(value, node);
    }
  };
  visit(ast, null);
  cuts.sort((a, b) => a[0] - b[0]);
  let out = '';
  let at = 0;
  for (const [from, to] of cuts) {
    if (from < at) throw new Error(`inferred-names: overlapping cuts at ${from}`);
    out += source.slice(at, from);
    at = to;
  }
  return { source: out + source.slice(at), cuts: cuts.length };
}

const BLOCKS = new Set(['Program', 'BlockStatement', 'StaticBlock', 'SwitchCase']);

/** `__name(f, "f")`: a function declaration's name restated (esbuild writes it after each one it keeps the name of). */
function restated(node, helper) {
  if (node.type !== 'CallExpression' || node.callee.type !== 'Identifier' || node.callee.name !== helper || node.arguments.length !== 2) return false;
  const [fn, name] = node.arguments;
  return fn.type === 'Identifier' && name.type === 'Literal' && name.value === fn.name;
}

/** `__name(<anonymous function>, "n")` in a place where JavaScript names that function "n" by itself. */
function redundant(call, parent, helper) {
  if (call.callee.type !== 'Identifier' || call.callee.name !== helper || call.arguments.length !== 2) return false;
  const [fn, name] = call.arguments;
  if (name.type !== 'Literal' || typeof name.value !== 'string') return false;
  const anonymous = (fn.type === 'ArrowFunctionExpression' || fn.type === 'FunctionExpression') && !fn.id;
  if (!anonymous) return false;
  const n = name.value;
  switch (parent.type) {
    case 'VariableDeclarator':
      return parent.init === call && parent.id.type === 'Identifier' && parent.id.name === n;
    case 'AssignmentExpression':
      return parent.operator === '=' && parent.right === call && parent.left.type === 'Identifier' && parent.left.name === n;
    case 'Property':
      return parent.kind === 'init' && !parent.method && !parent.computed && parent.value === call && keyName(parent.key) === n;
    case 'PropertyDefinition':
      return !parent.computed && parent.value === call && keyName(parent.key) === n;
    default:
      return false;
  }
}

function keyName(key) {
  if (key.type === 'Identifier') return key.name;
  if (key.type === 'Literal' && typeof key.value === 'string') return key.value;
  return undefined;
}
