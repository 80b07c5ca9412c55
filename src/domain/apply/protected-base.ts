import picomatch from "picomatch";

/**
 * Whether a pull request into `base` may be applied, and so whether its configuration may come
 * from `base`. The default branch always is; `protectedBases` (the server's TFGATE_PROTECTED_BASES,
 * globs such as `release/*`, where `*` stops at `/`) adds branches whose writes the operator
 * controls. Any other branch could have been created by the PR's author with their own rules.
 */
export function isProtectedBase(base: string, defaultBranch: string, protectedBases: readonly string[]): boolean {
  if (base === defaultBranch) return true;
  return protectedBases.some((glob) => picomatch.makeRe(glob, { dot: true }).test(base));
}

/** Where a pull request's configuration, policies and approver teams are read from. */
export function configBranchFor(base: string, defaultBranch: string, protectedBases: readonly string[]): { readonly branch: string; readonly protected: boolean } {
  const isProtected = isProtectedBase(base, defaultBranch, protectedBases);
  return { branch: isProtected ? base : defaultBranch, protected: isProtected };
}
