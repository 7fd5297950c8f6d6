import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

// backend/scripts/inferred-names.mjs: the bundle step removes esbuild's keepNames wrappers where JavaScript names the
// function by itself. It is an ES module run by the build, so it is loaded here in a node process of its own.
const SCRIPT = join(__dirname, '..', 'scripts', 'inferred-names.mjs');

function unwrap(source: string): { source: string; cuts: number } {
  const program = `import { unwrapInferredNames } from ${JSON.stringify(SCRIPT)};
    let input = ''; process.stdin.on('data', (d) => (input += d)).on('end', () => process.stdout.write(JSON.stringify(unwrapInferredNames(input))));`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', program], { input: source, encoding: 'utf8' }));
}

/** What the code names its functions: `names` collects [label, fn.name] pairs as the code runs. */
function namesOf(source: string): Array<[string, string]> {
  const names: Array<[string, string]> = [];
  const __name = (target: object, value: string) => Object.defineProperty(target, 'name', { value, configurable: true });
  new Function('__name', 'names', source)(__name, names);
  return names;
}

// The shapes esbuild's keepNames writes, as the minified bundle has them (`Decimal2`: a binding the bundle renamed).
const BUNDLE = [
  'var perRequest=__name(()=>1,"perRequest");names.push(["var",perRequest.name]);',
  'let assigned;assigned=__name(function(){},"assigned");names.push(["assign",assigned.name]);',
  'var ctx={getRequest:__name(()=>0,"getRequest"),"get-x":__name(()=>0,"get-x")};names.push(["prop",ctx.getRequest.name],["string key",ctx["get-x"].name]);',
  'class Lane{step=__name(()=>0,"step");static{__name(this,"Lane")}}names.push(["field",new Lane().step.name],["class",Lane.name]);',
  'function next(){}__name(next,"next");names.push(["declaration",next.name]);',
  'function a(){}function b(){}__name(a,"a"),__name(b,"b"),names.push(["sequence",a.name+b.name]);',
  'function c(){}names.push(["last in a sequence",c.name]),__name(c,"c");',
  'function handle(){function done(){}__name(done,"done");return done}__name(handle,"handle");names.push(["nested",handle().name]);',
  'var Decimal2=class{static{__name(this,"Decimal")}};function parse5(){}__name(parse5,"parse");names.push(["renamed class",Decimal2.name],["renamed fn",parse5.name]);',
  'var renamed2=__name(()=>0,"renamed");names.push(["renamed var",renamed2.name]);',
  'var returned=(()=>__name(function(){},"inner"))();names.push(["returned",returned.name]);',
  'var k="computed",o={[k]:__name(()=>0,"computed")};names.push(["computed",o.computed.name]);',
  'if(names.length)__name(next,"next");',
].join('\n');

// Shapes where taking a call out would change what the code does (from a review of the transform): each must run the same.
const HAZARDS = [
  // `__proto__: fn` sets the prototype and names nothing.
  'var o1={__proto__:__name(function(){},"__proto__")};names.push(["proto",Object.getPrototypeOf(o1).name]);',
  // The name is rebound to another function before the restatement runs: only the restatement names it.
  'var f2=__name(function(){},"g");function f2(){}__name(f2,"f2");names.push(["rebound",f2.name]);',
  // A parameter, not a declaration, under that name.
  '(function(p3){__name(p3,"p3");names.push(["parameter",p3.name])})(function h(){});',
  // A statement whose semicolon is on the next line: without it, `y4=z4` would run on into `(z4)()`.
  'var y4,z4=()=>7;function q4(){}\ny4=z4\n__name(q4,"q4")\n;(z4)();names.push(["semicolon",typeof y4]);',
  // A restatement before a "use strict": the string must not become the function's directive.
  '(function(){__name(d5,"d5");"use strict";function d5(){}names.push(["sloppy",typeof this])})();',
  // An arrow's restatement of a name its enclosing function rebinds: the restatement is what names the new function.
  'function outer7(){function f7(){}f7=function other(){};return()=>(__name(f7,"f7"),0,f7.name)}names.push(["arrow",outer7()()]);',
  // A sequence of two called as a function: `(a, o.m)()` calls m without `this`, `(o.m)()` with it.
  'var o6={m(){return this===o6}};function s6(){}names.push(["sequence call",String((__name(s6,"s6"),o6.m)())]);',
].join('\n');

describe('the bundle without redundant keepNames wrappers (backend/scripts/inferred-names.mjs)', () => {
  it('gives every function and class the name it had, and takes out the wrappers JavaScript makes redundant', () => {
    const out = unwrap(BUNDLE);
    expect(namesOf(out.source)).toEqual(namesOf(BUNDLE));
    expect(namesOf(BUNDLE)).toEqual(
      expect.arrayContaining([
        ['var', 'perRequest'],
        ['prop', 'getRequest'],
        ['nested', 'done'],
        ['renamed class', 'Decimal'],
        ['renamed fn', 'parse'],
        ['renamed var', 'renamed'],
        ['returned', 'inner'],
      ]),
    );
    // Gone: the per-call wrappers and the restated declarations (the sequence's last element stays).
    const gone = ['"perRequest")', '"assigned")', '"getRequest")', '"get-x")', '"step")', '__name(next,"next");names', '__name(done,"done")', '__name(a,"a")'];
    for (const wrapper of gone) {
      expect(out.source).not.toContain(wrapper);
    }
    // Kept: what only the wrapper names (renamed bindings, a returned function, a computed key), a class's static
    // block, a restatement that is the body of an `if` (taking it out would make the next statement the body) or the
    // last element of a sequence.
    const kept = [
      '__name(this,"Decimal")',
      '__name(parse5,"parse")',
      '__name(()=>0,"renamed")',
      '__name(function(){},"inner")',
      '"computed")',
      '__name(this,"Lane")',
      'if(names.length)__name(next,"next")',
      'c.name]),__name(c,"c")',
    ];
    for (const wrapper of kept) {
      expect(out.source).toContain(wrapper);
    }
  });

  it('changes nothing where a call cannot go: a prototype, a rebound name, a parameter, a line break, a prologue, a closure, a call', () => {
    const out = unwrap(HAZARDS);
    expect(namesOf(out.source)).toEqual(namesOf(HAZARDS));
    expect(namesOf(HAZARDS)).toEqual([
      ['proto', '__proto__'],
      ['rebound', 'f2'],
      ['parameter', 'p3'],
      ['semicolon', 'function'],
      ['sloppy', 'object'],
      ['arrow', 'f7'],
      ['sequence call', 'false'],
    ]);
    // The two restatements that can go (q4's, d5's) leave a `;` in their place.
    expect(out.cuts).toBe(2);
    expect(out.source).toContain('y4=z4\n;(z4)()');
    expect(out.source).toContain('(function(){;"use strict";');
  });

  it('leaves code without wrappers as it is', () => {
    const plain = 'const a = () => 1; function b() { return a(); }\nb();';
    expect(unwrap(plain)).toEqual({ source: plain, cuts: 0 });
  });
});
