-- MCA107 set-directory-too-early: the set-directory action SetINSTALLDIR is
-- scheduled between CostInitialize (800) and CostFinalize (1000); the
-- directory manager is not ready yet (ICE12).

-- 35 = text + Directory source: set the path of directory INSTALLDIR.
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('SetINSTALLDIR', 35, 'INSTALLDIR', '[ProgramFilesFolder]msica\MsicaApp\');

-- Defect: 801 is before CostFinalize (1000).
INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('SetINSTALLDIR', 'NOT Installed', 801);
