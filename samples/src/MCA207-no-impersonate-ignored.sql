-- MCA207 no-impersonate-ignored: the immediate DLL action CheckFoo has the
-- no-impersonate bit 0x800, which only takes effect on in-script actions
-- (ICE68 warning). It still runs with the user's rights.

-- Defect: 2049 = 1 (DLL from Binary) + 0x800 no-impersonate, without 0x400.
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('CheckFoo', 2049, 'FooCA', 'CheckFoo');

INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('CheckFoo', 'NOT Installed', 1001);
