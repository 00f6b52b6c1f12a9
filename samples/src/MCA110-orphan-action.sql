-- MCA110 orphan-action (info): CheckLicense is defined but no sequence row,
-- no DoAction control event and no scheduler pattern reaches it. Its Binary
-- (LicenseCA) is used by no other action.

-- 1 = DLL from Binary, immediate.
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('CheckLicense', 1, 'LicenseCA', 'CheckLicense');

-- Defect: deliberately no sequence row for CheckLicense.
