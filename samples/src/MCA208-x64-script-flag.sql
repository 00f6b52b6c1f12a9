-- MCA208 x64-script-flag: the DLL action CheckFoo has the 64-bit script bit
-- 0x1000, which is meant only for JScript and VBScript actions. (The
-- package is built for x64, so the Template is 64-bit and only this rule
-- applies, not ICE80.)

-- Defect: 4097 = 1 (DLL from Binary) + 0x1000 64-bit script.
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('CheckFoo', 4097, 'FooCA', 'CheckFoo');

INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('CheckFoo', 'NOT Installed', 1001);
