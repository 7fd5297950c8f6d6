// esbuild's keepNames wraps every function it names in a call, `__name(fn, "name")`, which sets the function's name by
// Object.defineProperty. For a function written inside another one (an object's methods built per call, a callback per
// request) that call runs every time the outer function does: in a profile of the orders bench it was 3 % of the app's
// CPU (bench/RESULTS.md, issue 22). Where JavaScript itself gives the function that same name, the wrapper changes
// nothing but the cost, and unwrapInferredNames removes it:
//
//   x = __name(() => …, "x")          x = () => …          (a variable's initialiser, an assignment to an identifier)
//   { get: __name(function () …, "get") }                  (an object literal's property, a class field)
//   function next() {…} __name(next, "next");              (a function declaration: the statement becomes `;`)
//
// It keeps every wrapper whose name JavaScript would not give: esbuild renamed the binding (two modules' `Decimal`
// became `Decimal2`: the wrapper is what keeps `.name` "Decimal", which Nest and TypeORM read), a computed or private
// key, `__proto__` (which sets a prototype, naming nothing), a function that already has a name of its own, a class
// (its name comes from a static block, not from here). A restatement goes only where its name surely is that function:
// declared in the same function body (or the program, or a static block), and never assigned or declared again in
// that function, its nested ones included; and never so that a sequence `(a, b)` would become one expression.
import { parse } from 'acorn';

/** The bundle without the redundant `__name(fn, "name")` calls (see above), and how many cuts that took. */
export function unwrapInferredNames(source, helper = '__name') {
  const ast = parse(source, { ecmaVersion: 'latest', sourceType: 'script', allowHashBang: true, allowReturnOutsideFunction: true });
  const rebound = reboundNames(ast);
  /** [from, to, replacement]: a wrapper's head `__name(` and tail `, "name")` around the function left in place; a
   * restatement statement (replaced by `;`, so no automatic semicolon insertion or directive prologue changes); a
   * restatement in a sequence with its comma. */
  const cuts = [];
  // scope: the innermost function (or the program); body: the statement list a restatement is checked against, and
  // owner: the function (or program) whose rebound names it is checked against, the one that holds that list (an
  // arrow's expression body has no list of its own: its restatements are checked against the enclosing body's).
  const visit = (node, parent, scope, body, owner) => {
    if (FUNCTIONS.has(node.type)) scope = node;
    if (node.type === 'CallExpression' && parent && redundant(node, parent, helper)) {
      const [fn] = node.arguments;
      cuts.push([node.start, fn.start, ''], [fn.end, node.end, '']);
    }
    const statements = statementList(node, parent);
    if (statements) {
      body = statements;
      owner = scope;
    }
    const sure = (call) => restated(call, helper) && declaredIn(body, call.arguments[0].name) && !rebound.get(owner).has(call.arguments[0].name);
    if (statements) {
      for (const statement of statements)
        if (statement.type === 'ExpressionStatement' && sure(statement.expression)) cuts.push([statement.start, statement.end, ';']);
    }
    if (node.type === 'SequenceExpression' && body) {
      const all = node.expressions;
      let left = all.length;
      for (let i = 0; i < all.length - 1 && left > 2; i++) {
        if (sure(all[i])) {
          cuts.push([all[i].start, all[i + 1].start, '']);
          left--;
        }
      }
    }
    for (const child of children(node)) visit(child, node, scope, statements ? body : BLOCKS.has(node.type) ? undefined : body, owner);
  };
  visit(ast, null, ast, undefined, ast);
  cuts.sort((a, b) => a[0] - b[0]);
  let out = '';
  let at = 0;
  for (const [from, to, replacement] of cuts) {
    if (from < at) throw new Error(`inferred-names: overlapping cuts at ${from}`);
    out += source.slice(at, from) + replacement;
    at = to;
  }
  return { source: out + source.slice(at), cuts: cuts.length };
}

const FUNCTIONS = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);
const BLOCKS = new Set(['Program', 'BlockStatement', 'StaticBlock', 'SwitchCase']);

function* children(node) {
  for (const key in node) {
    if (key === 'type' || key === 'start' || key === 'end') continue;
    const value = node[key];
    if (Array.isArray(value)) {
      for (const child of value) if (child && typeof child.type === 'string') yield child;
    } else if (value && typeof value.type === 'string') yield value;
  }
}

/** The statements of a function body, the program or a static block (not of an inner block, where a sloppy-mode
 * function declaration has other rules): where a restatement may go. */
function statementList(node, parent) {
  if (node.type === 'Program' || node.type === 'StaticBlock') return node.body;
  if (node.type === 'BlockStatement' && parent && FUNCTIONS.has(parent.type) && parent.body === node) return node.body;
  return undefined;
}

function declaredIn(statements, name) {
  return !!statements && statements.some((s) => s.type === 'FunctionDeclaration' && s.id && s.id.name === name);
}

/** For the program and each function: the names assigned, updated or declared by var/let/const anywhere in it, its
 * nested functions included (a closure can rebind its parent's name). */
function reboundNames(ast) {
  const names = new Map();
  const walk = (node, scopes) => {
    if (node === ast || FUNCTIONS.has(node.type)) {
      names.set(node, new Set());
      scopes = [...scopes, node];
    }
    const bind = (target) => {
      if (target && target.type === 'Identifier') for (const scope of scopes) names.get(scope).add(target.name);
    };
    if (node.type === 'AssignmentExpression') bind(node.left);
    if (node.type === 'UpdateExpression') bind(node.argument);
    if (node.type === 'VariableDeclarator') bind(node.id);
    if ((node.type === 'ForInStatement' || node.type === 'ForOfStatement') && node.left.type === 'Identifier') bind(node.left);
    for (const child of children(node)) walk(child, scopes);
  };
  walk(ast, []);
  return names;
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
      // `__proto__: fn` sets the object's prototype: nothing is named.
      return parent.kind === 'init' && !parent.method && !parent.computed && parent.value === call && keyName(parent.key) === n && n !== '__proto__';
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

/** `__name(f, "f")`: a function declaration's name restated (esbuild writes it after each one it keeps the name of). */
function restated(node, helper) {
  if (node.type !== 'CallExpression' || node.callee.type !== 'Identifier' || node.callee.name !== helper || node.arguments.length !== 2) return false;
  const [fn, name] = node.arguments;
  return fn.type === 'Identifier' && name.type === 'Literal' && name.value === fn.name;
}
