import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { CATALOGUES, LIST_PLACEHOLDERS, PLACEHOLDER, PROSE_PLACEHOLDERS, phraseOf, templatePattern } from './error-messages';

/*
 * The scanner: which English texts the API can answer as `error.message` or `error.details[].message`.
 *
 * It reads backend/src (spec files aside) as one TypeScript program and follows values with the type checker's
 * symbols (imports, parameters, constants, function results), never with regexes over the source. Where it looks
 * (the sinks):
 *   1. the calls of the error constructors of common/errors/app-error.ts (`new AppError`, notFound, conflict,
 *      unprocessable, unauthenticated, forbidden, badRequest, validationFailed): the argument in the position of
 *      their `message` parameter (its default when left out) and the `message` of every object in their `details`;
 *   2. the calls of class-validator's functions (every rule decorator, ValidateBy, registerDecorator): the `message`
 *      of an options object, and the results of a validator's `defaultMessage` (custom validators);
 *   3. the `message` and `details` of the error handed to `localizeError` (common/i18n/error-messages.ts): what the
 *      error filter (common/filters/all-exceptions.filter.ts) answers, so its own texts too;
 *   4. `super(message)` of the Error classes the body parser exposes (`expose = true`: body-parser's convention for
 *      "its message may be shown").
 * How it follows a value: string literals and template literals, where each `${…}` becomes a placeholder except
 *   - a constant holding a text (`${LOCKED_ACTIONS}`), which is part of the message, and
 *   - a conditional (`${n === 1 ? '1 second' : wait}`, or a constant of the same function holding one), which is
 *     spelled out: one message per branch (a branch that is not a text is a placeholder), as a translation may need
 *     to say each differently (plurals, "either way"); `??` is not spelled out (`opts.label ?? 'a number'` is one
 *     placeholder whose possible words are checked, see below);
 * conditionals, `??` and `||` (every branch); `+` of texts; constants and `let`s (their initializer and every
 * assignment, also `({ message } = e)`), arrays (their literal and every `push`); object literals (a property, also
 * through spreads; `{ message }` names a variable or parameter) and element access (every value of a constant object
 * or array); parameters (their default and the argument of every call of their function found in the program);
 * calls of functions of the program (every `return`, an arrow's body); `.filter()`/`.slice()`/`.concat()` of an array.
 * It is flow-insensitive: a variable's every assignment counts, so it may find a message that is then overwritten
 * (one entry too many, never one too few).
 * A value it cannot follow (read from a request, a database row, a library, built by `.map()`/`.join()`) is
 * reported with its place: the test lists each such place with the reason it is fine (UNSCANNABLE).
 * For a placeholder it also collects the texts its value can be, where it can follow them (labels like 'an amount',
 * states like 'approved'): the test checks that the catalogues translate those words (PROSE_PLACEHOLDERS and
 * `phrases`), or that the placeholder is a list or kept as written. Values only known at run time (a state read
 * from the database) are not seen: their phrases are the catalogue's job, and a missing one leaves the message English.
 */

const SRC = join(__dirname, '..', '..');

/** class-validator's functions that refuse nothing themselves (no message to tell). */
const NOT_RULES = new Set(['IsOptional', 'ValidateIf', 'Allow', 'ValidatorConstraint', 'Validate', 'validate', 'validateSync']);

/** Stands for a placeholder in a scanned message (a catalogue key's `{name}` compares equal to it). */
export const HOLE = '\u0000';

interface Site {
  file: string;
  line: number;
}

interface Part {
  text?: string;
  /** A placeholder: the texts its value can be, when the scanner could follow it to texts. */
  hole?: { texts: Set<string> };
}

interface ScannedMessage {
  /** The English text, `HOLE` for each placeholder. */
  shape: string;
  sites: Site[];
  /** Per placeholder, in order: the texts it can hold that the scanner found (literal alternatives). */
  holes: Set<string>[];
}

interface Unscannable {
  site: Site;
  /** The expression's source text. */
  text: string;
}

/** `x = value`, or `({ x } = value)` (then `property` is 'x'). */
interface Assignment {
  value: ts.Expression;
  property?: string;
  at: ts.Node;
}

type Value =
  | { kind: 'text'; parts: Part[]; node: ts.Node }
  | { kind: 'object'; node: ts.ObjectLiteralExpression }
  | { kind: 'array'; elements: ts.Expression[] }
  | { kind: 'function'; node: ts.SignatureDeclaration }
  | { kind: 'unknown'; node: ts.Node };

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const unwrap = (e: ts.Expression): ts.Expression => {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isSatisfiesExpression(e) || ts.isTypeAssertionExpression(e))
    e = e.expression;
  return e;
};

const propertyName = (name: ts.PropertyName): string | undefined =>
  ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) ? name.text : undefined;

export class MessageScanner {
  readonly program: ts.Program;
  private readonly checker: ts.TypeChecker;
  private readonly files: readonly ts.SourceFile[];
  readonly messages = new Map<string, ScannedMessage>();
  readonly unscannable = new Map<string, Unscannable>();
  /** class-validator rules that name no message of ours: they would answer class-validator's own English. */
  readonly rulesWithoutMessage: Unscannable[] = [];
  private callsOf?: Map<ts.Symbol, ts.CallLikeExpression[]>;
  private pushesOf?: Map<ts.Symbol, ts.CallExpression[]>;
  private assignmentsOf?: Map<ts.Symbol, Assignment[]>;
  private readonly resolving = new Set<ts.Node>();
  private readonly memo = new Map<ts.Node, Value[]>();

  constructor(
    rootNames: string[],
    host?: ts.CompilerHost,
    private readonly root = SRC,
  ) {
    const options: ts.CompilerOptions = {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      experimentalDecorators: true,
      // Only the program's own files: library types are not needed to follow its texts (and reading them is slow).
      noResolve: true,
      noLib: true,
      types: [],
      skipLibCheck: true,
    };
    this.program = ts.createProgram({ rootNames, options, host });
    this.checker = this.program.getTypeChecker();
    this.files = this.program.getSourceFiles().filter((f) => rootNames.includes(f.fileName));
  }

  static ofBackend(): MessageScanner {
    return new MessageScanner(sourceFiles(SRC)).scan();
  }

  scan(): this {
    this.scanErrorConstructors();
    this.scanClassValidator();
    this.scanLocalized();
    this.scanExposedErrors();
    return this;
  }

  // ---- sinks ----

  /** Sink 1: the error constructors of app-error.ts and their `message` and `details` parameters. */
  private scanErrorConstructors(): void {
    const appError = this.files.find((f) => f.fileName.endsWith(join('common', 'errors', 'app-error.ts')));
    if (!appError) throw new Error('common/errors/app-error.ts not found');
    for (const statement of appError.statements) {
      let fn: ts.SignatureDeclaration | undefined;
      let name: ts.Identifier | undefined;
      if (ts.isClassDeclaration(statement) && statement.name) {
        fn = statement.members.find(ts.isConstructorDeclaration);
        name = statement.name;
      } else if (ts.isVariableStatement(statement)) {
        const decl = statement.declarationList.declarations[0];
        if (decl?.initializer && ts.isArrowFunction(decl.initializer) && ts.isIdentifier(decl.name)) {
          fn = decl.initializer;
          name = decl.name;
        }
      }
      if (!fn || !name) continue;
      const params = fn.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : ''));
      const messageAt = params.indexOf('message');
      const detailsAt = params.indexOf('details');
      if (messageAt < 0 && detailsAt < 0) continue;
      const symbol = this.symbolOf(name);
      for (const call of (symbol && this.calls().get(symbol)) ?? []) {
        const args = this.argumentsOf(call);
        if (messageAt >= 0) {
          const arg = args[messageAt] ?? fn.parameters[messageAt].initializer;
          if (arg) this.collectMessage(arg);
        }
        if (detailsAt >= 0 && args[detailsAt]) this.collectDetails(args[detailsAt]);
      }
      // A default message used when a call leaves it out.
      const fallback = messageAt >= 0 ? fn.parameters[messageAt].initializer : undefined;
      if (fallback) this.collectMessage(fallback);
    }
  }

  /** Sink 2: the options of class-validator's rules and the `defaultMessage` of custom validators. */
  private scanClassValidator(): void {
    for (const [symbol, calls] of this.calls()) {
      if (this.moduleOf(symbol) !== 'class-validator') continue;
      for (const call of calls) {
        let told = false;
        for (const arg of this.argumentsOf(call)) {
          for (const options of this.objectsOf(arg)) {
            const message = this.property(options, 'message');
            if (message) message.forEach((m) => this.collectMessage(m));
            told ||= !!message;
            for (const validator of this.propertyObjects(options, 'validator')) {
              for (const fn of this.propertyValues(validator, 'defaultMessage')) {
                if (fn.kind === 'function') this.returnsOf(fn.node).forEach((r) => this.collectMessage(r));
                told ||= fn.kind === 'function';
              }
            }
          }
        }
        if (!told && !NOT_RULES.has(symbol.name)) this.rulesWithoutMessage.push({ site: this.siteOf(call), text: call.getText() });
      }
    }
  }

  /** Sink 3: what is handed to `localizeError` (common/i18n/error-messages.ts): the error filter's own texts. */
  private scanLocalized(): void {
    const module = this.files.find((f) => f.fileName.endsWith(join('common', 'i18n', 'error-messages.ts')));
    const localizeError = module?.statements.find((s): s is ts.FunctionDeclaration => ts.isFunctionDeclaration(s) && s.name?.text === 'localizeError');
    const symbol = localizeError?.name && this.symbolOf(localizeError.name);
    if (!symbol) throw new Error('localizeError not found in common/i18n/error-messages.ts');
    for (const call of this.calls().get(symbol) ?? []) {
      const arg = this.argumentsOf(call)[0];
      for (const error of arg ? this.objectsOf(arg) : []) {
        this.property(error, 'message')?.forEach((m) => this.collectMessage(m));
        this.property(error, 'details')?.forEach((d) => this.collectDetails(d));
      }
    }
  }

  /** Sink 4: `super(message)` of Error classes that the body parser exposes (`expose = true`). */
  private scanExposedErrors(): void {
    for (const file of this.files) {
      const visit = (node: ts.Node): void => {
        if (ts.isClassDeclaration(node) && node.heritageClauses?.some((h) => h.types.some((t) => t.expression.getText() === 'Error'))) {
          const exposed = node.members.some(
            (m) => ts.isPropertyDeclaration(m) && m.name.getText() === 'expose' && m.initializer?.kind === ts.SyntaxKind.TrueKeyword,
          );
          const ctor = node.members.find(ts.isConstructorDeclaration);
          if (exposed && ctor?.body) {
            const findSuper = (n: ts.Node): void => {
              if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.SuperKeyword && n.arguments[0]) this.collectMessage(n.arguments[0]);
              ts.forEachChild(n, findSuper);
            };
            findSuper(ctor.body);
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(file);
    }
  }

  // ---- collecting ----

  private collectMessage(expr: ts.Expression): void {
    for (const value of this.resolve(expr)) {
      if (value.kind === 'text') this.record(value);
      else if (value.kind === 'unknown') this.unknown(value.node);
      else this.unknown(expr);
    }
  }

  private collectDetails(expr: ts.Expression, seen = new Set<ts.Node>()): void {
    if (seen.has(expr)) return;
    seen.add(expr);
    for (const value of this.resolve(expr)) {
      if (value.kind === 'array') {
        for (const element of value.elements) {
          if (ts.isSpreadElement(element)) this.collectDetails(element.expression, seen);
          else
            for (const detail of this.resolve(element)) {
              if (detail.kind === 'object') this.property(detail.node, 'message')?.forEach((m) => this.collectMessage(m));
              else if (detail.kind === 'unknown') this.unknown(detail.node);
            }
        }
      } else if (value.kind === 'unknown') this.unknown(value.node);
    }
  }

  private record(value: Extract<Value, { kind: 'text' }>): void {
    let shape = '';
    const holes: Set<string>[] = [];
    for (const part of value.parts) {
      if (part.hole) {
        shape += HOLE;
        holes.push(part.hole.texts);
        continue;
      }
      // A `{name}` written in the text compares like a catalogue placeholder (it fills in as itself).
      shape += part.text!.replace(PLACEHOLDER, () => {
        holes.push(new Set());
        return HOLE;
      });
    }
    if (!/[A-Za-z]/.test(shape)) return; // '' (no message) and the like
    const site = this.siteOf(value.node);
    const known = this.messages.get(shape);
    if (!known) {
      this.messages.set(shape, { shape, sites: [site], holes });
      return;
    }
    if (!known.sites.some((s) => s.file === site.file && s.line === site.line)) known.sites.push(site);
    holes.forEach((texts, i) => texts.forEach((t) => known.holes[i].add(t)));
  }

  private unknown(node: ts.Node): void {
    const site = this.siteOf(node);
    this.unscannable.set(`${site.file}:${site.line}:${node.getText()}`, { site, text: node.getText() });
  }

  // ---- following values ----

  resolve(input: ts.Expression): Value[] {
    const expr = unwrap(input);
    const cached = this.memo.get(expr);
    if (cached) return cached;
    if (this.resolving.has(expr)) return []; // recursion (a function calling itself): its other results are found
    this.resolving.add(expr);
    try {
      const values = this.resolveUncached(expr);
      this.memo.set(expr, values);
      return values;
    } finally {
      this.resolving.delete(expr);
    }
  }

  private resolveUncached(expr: ts.Expression): Value[] {
    if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) return [{ kind: 'text', parts: [{ text: expr.text }], node: expr }];
    if (ts.isTemplateExpression(expr)) return this.template(expr);
    if (ts.isConditionalExpression(expr)) return [...this.resolve(expr.whenTrue), ...this.resolve(expr.whenFalse)];
    if (ts.isBinaryExpression(expr)) {
      const op = expr.operatorToken.kind;
      if (op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.BarBarToken) return [...this.resolve(expr.left), ...this.resolve(expr.right)];
      if (op === ts.SyntaxKind.AmpersandAmpersandToken) return this.resolve(expr.right);
      if (op === ts.SyntaxKind.PlusToken) return this.concat(expr);
      return [{ kind: 'unknown', node: expr }];
    }
    if (expr.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(expr) && expr.text === 'undefined')) return [];
    if (ts.isObjectLiteralExpression(expr)) return [{ kind: 'object', node: expr }];
    if (ts.isArrayLiteralExpression(expr)) return [{ kind: 'array', elements: [...expr.elements] }];
    if (ts.isArrowFunction(expr) || ts.isFunctionExpression(expr)) return [{ kind: 'function', node: expr }];
    if (ts.isIdentifier(expr)) return this.identifier(expr);
    if (ts.isPropertyAccessExpression(expr)) {
      const values = this.resolve(expr.expression);
      const out: Value[] = [];
      for (const v of values) {
        if (v.kind === 'object') out.push(...this.propertyValues(v.node, expr.name.text));
        else out.push({ kind: 'unknown', node: expr });
      }
      return values.length ? out : [{ kind: 'unknown', node: expr }];
    }
    if (ts.isElementAccessExpression(expr)) {
      const key = unwrap(expr.argumentExpression);
      const out: Value[] = [];
      for (const v of this.resolve(expr.expression)) {
        if (v.kind === 'array') v.elements.forEach((e) => out.push(...(ts.isSpreadElement(e) ? [] : this.resolve(e))));
        else if (v.kind === 'object') {
          if (ts.isStringLiteral(key)) out.push(...this.propertyValues(v.node, key.text));
          else for (const p of v.node.properties) if (ts.isPropertyAssignment(p)) out.push(...this.resolve(p.initializer));
        } else out.push({ kind: 'unknown', node: expr });
      }
      return out.length ? out : [{ kind: 'unknown', node: expr }];
    }
    if (ts.isCallExpression(expr)) return this.call(expr);
    return [{ kind: 'unknown', node: expr }];
  }

  private identifier(id: ts.Identifier): Value[] {
    const symbol = this.symbolOf(id);
    return symbol?.declarations?.length ? this.symbolValues(symbol, id) : [{ kind: 'unknown', node: id }];
  }

  /** What a named value can be: a variable's initializer, pushes and assignments; a parameter's default and arguments. */
  private symbolValues(symbol: ts.Symbol, at: ts.Node): Value[] {
    const out: Value[] = [];
    for (const decl of symbol.declarations ?? []) {
      if (ts.isVariableDeclaration(decl) && ts.isIdentifier(decl.name)) {
        if (decl.initializer) out.push(...this.resolve(decl.initializer));
        for (const push of this.pushes().get(symbol) ?? []) out.push({ kind: 'array', elements: [...push.arguments] });
        for (const { value, property, at: where } of this.assignments().get(symbol) ?? []) {
          if (property === undefined) out.push(...this.resolve(value));
          else {
            const from = this.resolve(value);
            const objects = from.flatMap((v) => (v.kind === 'object' ? [v.node] : []));
            out.push(
              ...(objects.length === from.length && objects.length
                ? objects.flatMap((o) => this.propertyValues(o, property))
                : [{ kind: 'unknown' as const, node: where }]),
            );
          }
        }
      } else if (ts.isParameter(decl) && ts.isIdentifier(decl.name)) {
        if (decl.initializer) out.push(...this.resolve(decl.initializer));
        const fn = decl.parent;
        const index = fn.parameters.indexOf(decl);
        const calls = this.callsOfFunction(fn);
        if (!calls) out.push({ kind: 'unknown', node: at });
        else
          for (const call of calls) {
            const arg = this.argumentsOf(call)[index];
            if (arg) out.push(...this.resolve(arg));
          }
      } else if (ts.isFunctionDeclaration(decl) || ts.isMethodDeclaration(decl)) out.push({ kind: 'function', node: decl });
      else if (ts.isShorthandPropertyAssignment(decl)) {
        // `{ message }`: the variable or parameter it names.
        const value = this.checker.getShorthandAssignmentValueSymbol(decl);
        out.push(...(value ? this.symbolValues(value, at) : [{ kind: 'unknown' as const, node: at }]));
      } else out.push({ kind: 'unknown', node: at });
    }
    return out;
  }

  /** The calls of a function found in the program, or undefined when it is not called by name (a callback). */
  private callsOfFunction(fn: ts.SignatureDeclaration): ts.CallLikeExpression[] | undefined {
    let name: ts.Node | undefined;
    if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) && fn.name) name = fn.name;
    else if (ts.isConstructorDeclaration(fn)) name = fn.parent.name;
    else if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isVariableDeclaration(fn.parent)) name = fn.parent.name;
    const symbol = name && this.symbolOf(name);
    return symbol ? (this.calls().get(symbol) ?? []) : undefined;
  }

  private call(expr: ts.CallExpression): Value[] {
    const callee = unwrap(expr.expression);
    if (ts.isPropertyAccessExpression(callee) && ['filter', 'slice', 'concat'].includes(callee.name.text)) {
      const receiver = this.resolve(callee.expression);
      if (receiver.length && receiver.every((v) => v.kind === 'array')) return receiver;
    }
    const functions = this.resolve(callee).filter((v): v is Extract<Value, { kind: 'function' }> => v.kind === 'function');
    if (!functions.length) return [{ kind: 'unknown', node: expr }];
    return functions.flatMap((f) => this.returnsOf(f.node).flatMap((r) => this.resolve(r)));
  }

  private returnsOf(fn: ts.SignatureDeclaration): ts.Expression[] {
    const body = (fn as ts.FunctionLikeDeclaration).body;
    if (!body) return [];
    if (!ts.isBlock(body)) return [body];
    const out: ts.Expression[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node)) return; // a nested function's returns are its own
      if (ts.isReturnStatement(node) && node.expression) out.push(node.expression);
      ts.forEachChild(node, visit);
    };
    ts.forEachChild(body, visit);
    return out;
  }

  /** A template literal: its texts, a conditional between texts spelled out, anything else a placeholder. */
  private template(expr: ts.TemplateExpression): Value[] {
    let variants: Part[][] = [[{ text: expr.head.text }]];
    for (const span of expr.templateSpans) {
      const spelled = this.spelledOut(span.expression);
      const options: Part[][] = spelled ?? [[{ hole: { texts: this.textsOf(span.expression) } }]];
      const next: Part[][] = [];
      for (const v of variants) for (const o of options) next.push([...v, ...o, { text: span.literal.text }]);
      variants = next;
    }
    return variants.map((parts) => ({ kind: 'text', parts: merge(parts), node: expr }));
  }

  private concat(expr: ts.BinaryExpression): Value[] {
    const left = this.resolve(expr.left);
    const right = this.resolve(expr.right);
    if (![...left, ...right].every((v) => v.kind === 'text')) return [{ kind: 'unknown', node: expr }];
    const out: Value[] = [];
    for (const l of left)
      for (const r of right) out.push({ kind: 'text', parts: merge([...(l as { parts: Part[] }).parts, ...(r as { parts: Part[] }).parts]), node: expr });
    return out;
  }

  /**
   * The variants of a `${…}` that is a choice: a conditional (or a constant of the same function holding one),
   * each branch a text, a choice again, or else a placeholder; a constant text (anywhere) is that text; undefined
   * for anything else (a placeholder).
   */
  private spelledOut(input: ts.Expression): Part[][] | undefined {
    let expr = unwrap(input);
    if (ts.isIdentifier(expr)) {
      const decl = this.symbolOf(expr)?.valueDeclaration;
      const sameFunction = decl && containingFunction(decl) === containingFunction(expr);
      if (!decl || !ts.isVariableDeclaration(decl) || !(decl.parent.flags & ts.NodeFlags.Const) || !decl.initializer) return undefined;
      expr = unwrap(decl.initializer);
      // A constant text (anywhere) is part of the message.
      if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) return [[{ text: expr.text }]];
      if (!sameFunction) return undefined;
      if (!ts.isConditionalExpression(expr)) return undefined;
    }
    if (ts.isConditionalExpression(expr)) return [...this.branch(expr.whenTrue), ...this.branch(expr.whenFalse)];
    return undefined;
  }

  /** A branch of a spelled-out conditional: a text, a choice between texts, else a placeholder. */
  private branch(input: ts.Expression): Part[][] {
    const expr = unwrap(input);
    if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) return [[{ text: expr.text }]];
    if (ts.isTemplateExpression(expr)) return this.template(expr).map((v) => (v as { parts: Part[] }).parts);
    return this.spelledOut(expr) ?? [[{ hole: { texts: this.textsOf(expr) } }]];
  }

  /** The texts without placeholders a placeholder's value can be (for the phrase check); values it cannot follow are left out. */
  private textsOf(expr: ts.Expression): Set<string> {
    const out = new Set<string>();
    for (const v of this.resolve(expr)) {
      const text = v.kind === 'text' && v.parts.every((p) => !p.hole) ? v.parts.map((p) => p.text).join('') : '';
      if (text) out.add(text);
    }
    return out;
  }

  // ---- objects ----

  private objectsOf(expr: ts.Expression): ts.ObjectLiteralExpression[] {
    return this.resolve(expr).flatMap((v) => (v.kind === 'object' ? [v.node] : []));
  }

  /** The expressions a property of an object literal can hold (its own assignment, else what a spread gives it). */
  private property(obj: ts.ObjectLiteralExpression, name: string): ts.Expression[] | undefined {
    for (let i = obj.properties.length - 1; i >= 0; i--) {
      const p = obj.properties[i];
      if (ts.isPropertyAssignment(p) && propertyName(p.name) === name) return [p.initializer];
      if (ts.isShorthandPropertyAssignment(p) && p.name.text === name) return [p.name];
      if (ts.isSpreadAssignment(p)) {
        const inner = this.objectsOf(p.expression).flatMap((o) => this.property(o, name) ?? []);
        if (inner.length) return inner;
      }
    }
    return undefined;
  }

  private propertyValues(obj: ts.ObjectLiteralExpression, name: string): Value[] {
    return (this.property(obj, name) ?? []).flatMap((e) => this.resolve(e));
  }

  private propertyObjects(obj: ts.ObjectLiteralExpression, name: string): ts.ObjectLiteralExpression[] {
    return this.propertyValues(obj, name).flatMap((v) => (v.kind === 'object' ? [v.node] : []));
  }

  // ---- indexes ----

  private symbolOf(node: ts.Node): ts.Symbol | undefined {
    const symbol = this.checker.getSymbolAtLocation(node);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) {
      const target = this.checker.getAliasedSymbol(symbol);
      // An import of a module outside the program stays the import (its module names it, see moduleOf).
      if (target.declarations?.length) return target;
    }
    return symbol;
  }

  /** The module an imported symbol comes from, when it was imported from outside the program ('class-validator'). */
  private moduleOf(symbol: ts.Symbol): string | undefined {
    const decl = symbol.declarations?.[0];
    if (!decl || !ts.isImportSpecifier(decl)) return undefined;
    const spec = decl.parent.parent.parent.moduleSpecifier;
    return ts.isStringLiteral(spec) ? spec.text : undefined;
  }

  private argumentsOf(call: ts.CallLikeExpression): readonly ts.Expression[] {
    return ts.isCallExpression(call) || ts.isNewExpression(call) ? (call.arguments ?? []) : [];
  }

  private calls(): Map<ts.Symbol, ts.CallLikeExpression[]> {
    if (this.callsOf) return this.callsOf;
    this.callsOf = new Map();
    this.pushesOf = new Map();
    this.assignmentsOf = new Map();
    const add = <K, V>(map: Map<K, V[]>, key: K | undefined, value: V) => {
      if (key === undefined) return;
      const list = map.get(key);
      if (list) list.push(value);
      else map.set(key, [value]);
    };
    for (const file of this.files) {
      const visit = (node: ts.Node): void => {
        if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
          const callee = unwrap(node.expression);
          const name = ts.isPropertyAccessExpression(callee) ? callee.name : callee;
          add(this.callsOf!, this.symbolOf(name), node);
          if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(callee) && callee.name.text === 'push' && ts.isIdentifier(callee.expression)) {
            add(this.pushesOf!, this.symbolOf(callee.expression), node);
          }
        } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
          const left = unwrap(node.left);
          if (ts.isIdentifier(left)) add(this.assignmentsOf!, this.symbolOf(left), { value: node.right, at: node });
          else if (ts.isObjectLiteralExpression(left)) {
            // `({ a, b } = value)`: each name is assigned that property of value.
            for (const p of left.properties) {
              if (ts.isShorthandPropertyAssignment(p)) add(this.assignmentsOf!, this.symbolOf(p.name), { value: node.right, property: p.name.text, at: node });
            }
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(file);
    }
    return this.callsOf;
  }

  private pushes(): Map<ts.Symbol, ts.CallExpression[]> {
    this.calls();
    return this.pushesOf!;
  }

  private assignments(): Map<ts.Symbol, Assignment[]> {
    this.calls();
    return this.assignmentsOf!;
  }

  private siteOf(node: ts.Node): Site {
    const file = node.getSourceFile();
    return { file: relative(this.root, file.fileName), line: file.getLineAndCharacterOfPosition(node.getStart()).line + 1 };
  }
}

/** The function a node is in (undefined at the top of a module). */
function containingFunction(node: ts.Node): ts.Node | undefined {
  for (let n = node.parent; n; n = n.parent) if (ts.isFunctionLike(n)) return n;
  return undefined;
}

/** Adjacent texts joined. */
function merge(parts: Part[]): Part[] {
  const out: Part[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if (p.text !== undefined && last?.text !== undefined) last.text += p.text;
    else out.push(p.text !== undefined ? { text: p.text } : p);
  }
  return out.filter((p) => p.hole || p.text);
}

// ---- the test ----

/**
 * Values the scanner cannot follow, each with why that is fine (keyed by file and expression; lines move).
 * A new one fails the test until it is looked at: either the scanner can be helped, or it is listed here.
 */
const UNSCANNABLE: Record<string, string> = {
  'common/errors/app-error.ts details[0].message': "validationFailed's message is its only detail's message: every detail is scanned where it is built",
  'common/idempotency/idempotency.service.ts err.message':
    'a replayed refusal: the English message stored when it was first thrown (scanned there), translated again when replayed',
  'common/idempotency/idempotency.service.ts err.details': 'the details of that replayed refusal (scanned where first thrown)',
  'common/pipes/validation.pipe.ts constraints[best]': "the failing class-validator rule's message: scanned at the rule (sink 2)",
  'common/filters/all-exceptions.filter.ts exception.getResponse()':
    "Nest's own HttpExceptions (framework messages for requests no client of ours builds; a 404 route is rewritten)",
  'common/filters/all-exceptions.filter.ts (res as { message?: unknown }).message': 'the same',
  'common/filters/all-exceptions.filter.ts exception.message': 'the same',
  "common/filters/all-exceptions.filter.ts raw.join('; ')": 'the same',
  'common/filters/all-exceptions.filter.ts (parserError as Error).message':
    "the body parser's JsonTooDeepError: its message is scanned at its constructor (sink 4)",
  'common/filters/all-exceptions.filter.ts (exception as Error).message': 'the same',
  "wallet/deposits/deposits.service.ts parsed.problems.map((message) => ({ field: message.split(' ')[0], message }))":
    "the payment provider's IPN webhook: its caller is NOWPayments' server, not a person; the messages name IPN fields",
  "wallet/deposits/deposits.service.ts result.problems.map((message) => ({ field: message.split(' ')[0], message }))": 'the same',
  "wallet/withdrawals/payouts/payout-statuses.ts read.problems.map((message) => ({ field: message.split(' ')[0], message }))":
    "the payment provider's payout status webhook: its caller is NOWPayments' server, not a person; the messages name IPN fields",
  "wallet/withdrawals/payouts/payout-statuses.ts result.problems.map((message) => ({ field: message.split(' ')[0], message }))": 'the same',
};

/** Files whose class-validator rules may name no message, and why. */
const RULES_WITHOUT_MESSAGE: Record<string, string> = {
  'auth/passkeys/dto/passkey.dto.ts':
    "the WebAuthn answer's inner fields are filled by the browser, never typed by a person; the outer rule's message ('The passkey did not answer completely') is the one a person sees",
};

/** Placeholders whose values the scanner sees as words but that stay as the server wrote them (neither prose nor lists). */
const KEPT_AS_WRITTEN: Record<string, string> = {
  field: 'a request field name (what the API takes)',
  network: 'a network name, as the API takes it',
  symbol: 'a ticker, as the API takes it',
  asset: 'a ticker, as the API takes it',
};

const LANGUAGES = Object.keys(CATALOGUES) as (keyof typeof CATALOGUES)[];
const names = (template: string): string[] => [...template.matchAll(PLACEHOLDER)].map((m) => m[1]);
const shapeOf = (template: string): string => template.replace(PLACEHOLDER, HOLE);
const where = (m: ScannedMessage): string => m.sites.map((s) => `${s.file}:${s.line}`).join(', ');
const shown = (shape: string): string => shape.replaceAll(HOLE, '{…}');

describe('the error message catalogues', () => {
  let scanner: MessageScanner;
  /** Catalogue key by its shape (placeholder names left out). */
  const keys = new Map<string, string>();

  beforeAll(() => {
    scanner = MessageScanner.ofBackend();
    for (const key of Object.keys(CATALOGUES.de.messages)) keys.set(shapeOf(key), key);
  }, 60_000);

  it('finds the messages of every kind of place (a sanity check of the scanner on this code base)', () => {
    const shapes = [...scanner.messages.keys()].map(shown);
    expect(scanner.messages.size).toBeGreaterThan(200);
    // An error constructor's literal; its default message; a template; a spelled-out plural; a DTO rule; a custom validator; the filter's own.
    expect(shapes).toEqual(
      expect.arrayContaining([
        'The email or the password is wrong',
        'You are not allowed to do this',
        'Unknown asset {…}',
        'Too many attempts. Please try again in {…} minutes.',
        'Too many attempts. Please try again in 1 second.',
        'Enter a valid email address',
        'Enter {…}, like {…}',
        'That password is too common: choose one that is not on lists of breached passwords',
        'No such route',
        'The request body is nested deeper than {…} levels',
      ]),
    );
  });

  it('has a German and a Spanish entry for every message the API can answer', () => {
    const missing: string[] = [];
    for (const m of scanner.messages.values()) {
      if (!keys.has(m.shape)) missing.push(`${JSON.stringify(shown(m.shape))} (${where(m)})`);
    }
    expect(missing).toEqual([]);
    for (const language of LANGUAGES) expect(Object.keys(CATALOGUES[language].messages).sort()).toEqual([...keys.values()].sort());
  });

  it('keeps the placeholders of the English template in every translation', () => {
    const wrong: string[] = [];
    for (const language of LANGUAGES) {
      for (const [english, translation] of Object.entries(CATALOGUES[language].messages)) {
        const want = [...new Set(names(english))].sort();
        const got = [...new Set(names(translation))].sort();
        if (want.join() !== got.join()) wrong.push(`${language}: ${english} → ${translation}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('has no entry for a message the API no longer answers', () => {
    const scanned = new Set(scanner.messages.keys());
    expect([...keys.keys()].filter((shape) => !scanned.has(shape)).map((shape) => keys.get(shape))).toEqual([]);
  });

  it('translates the words the server puts into its messages', () => {
    const problems: string[] = [];
    for (const m of scanner.messages.values()) {
      const key = keys.get(m.shape);
      if (!key) continue;
      const placeholders = names(key);
      m.holes.forEach((texts, i) => {
        const name = placeholders[i];
        const words = [...texts].filter((t) => /[A-Za-z]{2,}/.test(t));
        if (!words.length || LIST_PLACEHOLDERS.has(name) || name in KEPT_AS_WRITTEN) return;
        if (!PROSE_PLACEHOLDERS.has(name)) {
          problems.push(`{${name}} in ${JSON.stringify(key)} holds words (${words.join(', ')}): make it prose, a list, or keep it as written`);
          return;
        }
        for (const language of LANGUAGES) {
          for (const word of words)
            if (phraseOf(CATALOGUES[language], name, word) === undefined) problems.push(`${language} has no phrase for {${name}} = ${JSON.stringify(word)}`);
        }
      });
    }
    expect(problems).toEqual([]);
  });

  it('lists every value it cannot follow, with the reason that is fine', () => {
    const found = [...scanner.unscannable.values()].map((u) => `${u.site.file} ${u.text}`);
    expect(found.filter((k) => !(k in UNSCANNABLE))).toEqual([]);
    expect(Object.keys(UNSCANNABLE).filter((k) => !found.includes(k))).toEqual([]);
  });

  it('finds a message of ours on every class-validator rule, except where a person never types', () => {
    expect(scanner.rulesWithoutMessage.filter((r) => !(r.site.file in RULES_WITHOUT_MESSAGE)).map((r) => `${r.site.file}:${r.site.line} ${r.text}`)).toEqual(
      [],
    );
  });

  it('has well-formed catalogues: templates that compile, phrases only for prose', () => {
    for (const language of LANGUAGES) {
      const c = CATALOGUES[language];
      for (const key of Object.keys(c.messages)) expect(() => templatePattern(key)).not.toThrow();
      for (const phrase of Object.keys(c.phrases)) {
        const name = /^([A-Za-z]+):/.exec(phrase)?.[1];
        if (name) expect(PROSE_PLACEHOLDERS.has(name)).toBe(true);
      }
    }
  });
});

describe('the scanner', () => {
  /** Scans a few files given as text (no disk), as if they were backend/src. */
  function scan(files: Record<string, string>): MessageScanner {
    const root = '/virtual';
    const paths = Object.keys(files).map((f) => join(root, f));
    const real = ts.createCompilerHost({});
    const host: ts.CompilerHost = {
      ...real,
      fileExists: (f) => paths.includes(f),
      directoryExists: (d) => paths.some((p) => p.startsWith(`${d}/`)),
      realpath: (f) => f,
      getCurrentDirectory: () => root,
      readFile: (f) => files[relative(root, f)],
      getSourceFile: (f, v) => (paths.includes(f) ? ts.createSourceFile(f, files[relative(root, f)], v, true) : undefined),
      writeFile: () => undefined,
    };
    return new MessageScanner(paths, host, root).scan();
  }
  const appError = `
    export class AppError extends Error { constructor(readonly status: number, readonly code: string, message: string, readonly details?: { field?: string; message: string }[]) { super(message); } }
    export const notFound = (message = 'Not found'): AppError => new AppError(404, 'NOT_FOUND', message);
    export const validationFailed = (details: { field?: string; message: string }[]): AppError => new AppError(400, 'VALIDATION_FAILED', 'Some fields are invalid', details);
  `;
  const filter = `
    export function localizeError(error: { message: string }) { return error; }
    export function toErrorBody(e: unknown) { let message = 'Something went wrong'; if (e) message = 'Not understood'; return localizeError({ code: 'INTERNAL', message }); }
  `;
  const shapes = (s: MessageScanner) => [...s.messages.values()].map((m) => shown(m.shape)).sort();

  it('follows literals, templates, spelled-out choices, constants, parameters, results and details', () => {
    const s = scan({
      'common/errors/app-error.ts': appError,
      'common/i18n/error-messages.ts': filter,
      'orders.ts': `
        import { AppError, notFound, validationFailed } from './common/errors/app-error';
        const FIXED = 'listed';
        const WORDS = { quantity: 'a quantity', price: 'a price' };
        function missing(what: string) { return validationFailed([{ field: 'x', message: \`Enter \${what}\` }]); }
        function later(n: number): string { const unit = n === 1 ? 'minute' : \`\${n} minutes\`; return \`Try again in \${unit}\`; }
        export function f(symbol: string, n: number, key: 'quantity' | 'price') {
          if (n) throw notFound(\`No \${symbol} holding\`);
          if (n > 1) throw notFound();
          if (n > 2) throw new AppError(429, 'RATE_LIMITED', later(n));
          if (n > 3) throw missing(WORDS[key]);
          if (n > 4) throw notFound(\`\${symbol} is not \${FIXED}\`);
          const problems = [];
          problems.push({ field: 'y', message: 'Choose a side' });
          throw validationFailed(problems);
        }
        export const g = () => missing('a date');
      `,
    });
    expect(shapes(s)).toEqual(
      [
        'Choose a side',
        'Enter {…}',
        'No {…} holding',
        'Not found',
        'Not understood',
        'Some fields are invalid',
        'Something went wrong',
        'Try again in minute',
        'Try again in {…} minutes',
        '{…} is not listed',
      ].sort(),
    );
    // The words a placeholder can hold, for the phrase check.
    expect([...s.messages.get(`Enter ${HOLE}`)!.holes[0]].sort()).toEqual(['a date', 'a price', 'a quantity']);
    expect(s.unscannable.size).toBe(0);
  });

  it('reads class-validator options and custom validators, and names rules without a message', () => {
    const s = scan({
      'common/errors/app-error.ts': appError,
      'common/i18n/error-messages.ts': filter,
      'dto.ts': `
        import { IsString, MaxLength, ValidateBy } from 'class-validator';
        const NAME = { message: 'Enter a name' };
        export function IsThing(label = 'a thing') { return ValidateBy({ name: 'isThing', validator: { validate: () => true, defaultMessage: () => \`Enter \${label}\` } }); }
        export class Dto { @IsString(NAME) @MaxLength(5) name: string; @IsThing() thing: string; }
      `,
    });
    expect(shapes(s)).toEqual(['Enter a name', 'Enter {…}', 'Not found', 'Not understood', 'Some fields are invalid', 'Something went wrong'].sort());
    expect(s.rulesWithoutMessage.map((r) => r.text)).toEqual(['MaxLength(5)']);
  });

  it('reports what it cannot follow, with its place', () => {
    const s = scan({
      'common/errors/app-error.ts': appError,
      'common/i18n/error-messages.ts': filter,
      'webhook.ts': `
        import { validationFailed } from './common/errors/app-error';
        export function f(problems: string[], row: { message: string }) {
          if (row) throw validationFailed([{ message: row.message }]);
          throw validationFailed(problems.map((message) => ({ message })));
        }
      `,
    });
    expect([...s.unscannable.values()].map((u) => `${u.site.file}:${u.site.line} ${u.text}`).sort()).toEqual([
      'webhook.ts:4 row.message',
      'webhook.ts:5 problems.map((message) => ({ message }))',
    ]);
  });
});
