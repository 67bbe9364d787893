// A transaction step (TxStep, see src/store/store.ts) does nothing until a driver runs it, so a
// `tx.update(...)` written as a plain statement, compared or spread would silently do nothing and still
// type-check. The type checker finds every expression typed as a step; each must be yielded with
// `yield*`, or handed on whole (returned, or an arrow's body) for its caller to yield.

import { resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '../..');
const DRIVERS = new Set(['runSynchronously', 'runAsynchronously']);

function unrunSteps(): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(resolve(repo, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
  const program = ts.createProgram(config.fileNames, config.options);
  const checker = program.getTypeChecker();
  const found: string[] = [];
  for (const file of program.getSourceFiles()) {
    if (file.isDeclarationFile || file.fileName.includes('node_modules')) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && isStep(checker.getTypeAtLocation(node)) && !handedOn(node)) {
        const { line } = file.getLineAndCharacterOfPosition(node.getStart());
        found.push(`${file.fileName.slice(repo.length + 1)}:${line + 1}: ${node.getText().slice(0, 60)}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return found;
}

function isStep(type: ts.Type): boolean {
  const alias = type.aliasSymbol?.name;
  if (alias === 'TxStep') return true;
  const args = (type as ts.TypeReference).typeArguments;
  return type.getSymbol()?.name === 'Generator' && args?.[0]?.getSymbol()?.name === 'TxRequest';
}

function handedOn(node: ts.Node): boolean {
  const parent = node.parent;
  if (ts.isParenthesizedExpression(parent)) return handedOn(parent);
  if (ts.isConditionalExpression(parent) && parent.condition !== node) return handedOn(parent);
  if (ts.isYieldExpression(parent)) return parent.asteriskToken !== undefined;
  if (ts.isReturnStatement(parent)) return true;
  if (ts.isArrowFunction(parent)) return parent.body === node;
  // A step kept in a variable to be yielded later.
  if (ts.isVariableDeclaration(parent)) return true;
  // A whole transaction body, given to the driver that runs it.
  return ts.isCallExpression(parent) && DRIVERS.has(parent.expression.getText());
}

describe('transaction steps', () => {
  it('are all yielded or handed on, so none is silently skipped', () => {
    expect(unrunSteps()).toEqual([]);
  }, 60_000);
});
