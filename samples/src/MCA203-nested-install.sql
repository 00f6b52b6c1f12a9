-- MCA203 nested-install: InstallRedist installs another package as a nested
-- (concurrent) installation, which is deprecated and fragile.

-- Defect: 23 = install + SourceFile source: Source is the path of a .msi
-- relative to the root of the source, Target the property assignments.
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('InstallRedist', 23, 'redist\redist.msi', 'ALLUSERS=[ALLUSERS]');

-- Placed inside the InstallInitialize..InstallFinalize window, as nested
-- installs should be.
INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('InstallRedist', 'NOT Installed', 4001);
