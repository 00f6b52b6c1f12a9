-- MCA109 unknown-action: InstallExecuteSequence names RunMigration, which is
-- not a standard action and has no CustomAction row (ICE27, run-time 2726).

-- Defect: no CustomAction row named RunMigration exists.
INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('RunMigration', 'NOT Installed', 4001);
