; Ferry's Windows installer (NSIS 3), built on Linux:
;
;   makensis -V2 -DVERSION=0.1.0 -DSOURCE="$PWD/dist/windows/Ferry" \
;            -DOUTFILE="$PWD/dist/Ferry-Setup-0.1.0.exe" installer/ferry.nsi
;
; SOURCE is PyInstaller's one-folder build (Ferry.exe, ferry-cli.exe, _internal\); makensis
; works in installer/, so relative SOURCE and OUTFILE paths are read from there. ICON, when
; given, is also the launchers' icon. Optional:
; -DVERSION_NUMERIC=1.2.3.4 when VERSION is not plain X.Y.Z (the exe's version resource takes
; four numbers); -DPUBLISHER="..."; -DNO_SIGN to leave the uninstaller unsigned without asking
; scripts/sign (which signs only when the environment gives a key, see scripts/sign).
;
; What it does (per machine, for every user of the computer, as an administrator):
;   - Ferry in $PROGRAMFILES64\Ferry (or /D=), laid out for updates (app/updates/layout.py):
;       versions\X.Y.Z\      the one-folder build, never changed once there
;       current, previous     the version that starts, the one an update can go back to
;       Ferry.exe, ferry-cli.exe   small launchers (launcher.c) that start the current
;                             version's program: the paths shortcuts and scripts name
;     a Start-menu entry and an Add/Remove Programs entry;
;   - optionally starts Ferry at every user's login (HKLM ...\Run, value "Ferry");
;   - optionally installs and starts the Windows service "Ferry" (Ferry.exe service install),
;     which syncs the computer's own home (%ProgramData%\Ferry) from boot, nobody logged on;
;   - the uninstaller removes all that and keeps each user's settings, state and logs unless
;     asked (the box on its components page, or /PURGE=1).
;
; Silent use (IT partners):
;   Ferry-Setup-X.exe /S [/AUTOSTART=1|0] [/SERVICE=1|0] [/D=C:\path\without\quotes]
;   (/D= must come last)
;   "C:\Program Files\Ferry\Uninstall.exe" /S [/PURGE=1]
; An install over an existing one adds its version beside the running one, makes it current
; (the one before becomes previous; older ones go), replaces a flat installation of the
; one-folder build from before versioned folders, and keeps its start-at-login choice
; unless /AUTOSTART= is given, and its service (stopped while the files are replaced, then
; started again, from the new version's folder) unless /SERVICE= is given. A running Ferry
; is closed first (asked when
; interactive). The uninstaller stops and removes the service before it deletes any file.

Unicode true
Target amd64-unicode ; Ferry is a 64-bit program: a 64-bit installer sees the 64-bit registry
ManifestDPIAware true
RequestExecutionLevel admin
!define /ifndef COMPRESSOR "/SOLID lzma" ; -DCOMPRESSOR=zlib builds a quarter larger installer five times faster
SetCompressor ${COMPRESSOR}

!ifndef VERSION
  !error "give the version: makensis -DVERSION=X.Y.Z -DSOURCE=<one-folder build> ferry.nsi"
!endif
!ifndef SOURCE
  !error "give the one-folder build: makensis -DSOURCE=<absolute path of dist/windows/Ferry> ..."
!endif
!define /ifndef OUTFILE "Ferry-Setup-${VERSION}.exe"
!define /ifndef PUBLISHER "Ferry"
!ifndef VERSION_NUMERIC
  ; "0.1.0" -> 0.1.0.0; a version with a suffix (0.2.0rc1) needs -DVERSION_NUMERIC
  !searchparse /noerrors "${VERSION}" "" VERSION_MAJOR "." VERSION_MINOR "." VERSION_PATCH
  !define VERSION_NUMERIC "${VERSION_MAJOR}.${VERSION_MINOR}.${VERSION_PATCH}.0"
!endif

!define PRODUCT "Ferry"
!define EXE "Ferry.exe"
!define CLI_EXE "ferry-cli.exe"
!define UNINSTALLER "Uninstall.exe"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Ferry"
; The same Run value that app/autostart.py writes per user (HKCU), here for every user (HKLM).
!define RUN_KEY "Software\Microsoft\Windows\CurrentVersion\Run"
!define APPROVED_KEY "Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run"
!define RUN_VALUE "Ferry"
; The Windows service (app/service/windows_service.py): its name and the service manager's key
!define SERVICE_NAME "Ferry"
!define SERVICE_KEY "SYSTEM\CurrentControlSet\Services\${SERVICE_NAME}"

; What the uninstaller removes from the program folder: the build's own top-level entries,
; listed now by contents.py (never RMDir /r of a folder the person chose with /D=).
; makensis works in this script's folder (unless /NOCD), where a relative ${__FILEDIR__}
; no longer leads: HERE is this folder either way. A relative SOURCE is read from here too.
!if /FileExists "${__FILEDIR__}/contents.py"
  !define HERE "${__FILEDIR__}"
!else
  !define HERE "."
!endif
!tempfile PROGRAM_FILES_LIST
!system 'python3 "${HERE}/contents.py" "${SOURCE}" "${PROGRAM_FILES_LIST}"' = 0
!include /CHARSET=UTF8 "${PROGRAM_FILES_LIST}"
!delfile "${PROGRAM_FILES_LIST}"
!undef PROGRAM_FILES_LIST

; The launchers at the top of the installation (launcher.c), built now with MinGW and signed
; like the programs (scripts/sign says UNSIGNED and succeeds without a key).
!tempfile LAUNCHERS
!delfile "${LAUNCHERS}"
!ifdef ICON
  !system 'python3 "${HERE}/launchers.py" "${LAUNCHERS}" "${ICON}"' = 0
!else
  !system 'python3 "${HERE}/launchers.py" "${LAUNCHERS}"' = 0
!endif
!ifndef NO_SIGN
  !define /ifndef SIGN_COMMAND "${HERE}/../scripts/sign"
  !system '"${SIGN_COMMAND}" "${LAUNCHERS}/Ferry.exe" "${LAUNCHERS}/ferry-cli.exe"' = 0
!endif

; The uninstaller is written at compile time and embedded: sign it then (scripts/sign says
; UNSIGNED and succeeds when the environment gives no key). The build signs the installer.
!ifndef NO_SIGN
  !uninstfinalize '"${SIGN_COMMAND}" --name "${UNINSTALLER}" "%1"' = 0
!endif

Name "${PRODUCT}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${PRODUCT}"
; an upgrade goes where the previous version is (unless /D= says otherwise)
InstallDirRegKey HKLM "${UNINSTALL_KEY}" "InstallLocation"
BrandingText "${PRODUCT} ${VERSION}"

VIProductVersion "${VERSION_NUMERIC}"
VIFileVersion "${VERSION_NUMERIC}"

!include MUI2.nsh
!include LogicLib.nsh
!include FileFunc.nsh
!include Sections.nsh
!include WinVer.nsh
!include TextFunc.nsh

; Ferry's icon (scripts/build paints it from app/gui/icons.py); NSIS's own without one
!ifdef ICON
  !define MUI_ICON "${ICON}"
  !define MUI_UNICON "${ICON}"
!endif
; the welcome and finish pages' side panel, painted beside the icon (-DPANEL=...bmp)
!ifdef PANEL
  !define MUI_WELCOMEFINISHPAGE_BITMAP "${PANEL}"
  !define MUI_UNWELCOMEFINISHPAGE_BITMAP "${PANEL}"
!endif
!define MUI_ABORTWARNING
!define MUI_COMPONENTSPAGE_SMALLDESC

; Ferry's own words: NSIS's stock text speaks of rebooting, which installing Ferry never needs
!define MUI_WELCOMEPAGE_TEXT "$(WelcomeText)"
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN
!define MUI_FINISHPAGE_RUN_FUNCTION LaunchFerry
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES

; NSIS picks the one that matches Windows' display language, English otherwise.
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "French"
!insertmacro MUI_LANGUAGE "Dutch"

VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductName" "${PRODUCT}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileDescription" "${PRODUCT} ${VERSION} Setup"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "LegalCopyright" "${PUBLISHER}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "OriginalFilename" "Ferry-Setup-${VERSION}.exe"

LangString WelcomeText ${LANG_ENGLISH} "Setup will install Ferry ${VERSION} for every user of this computer.$\r$\n$\r$\nFerry delivers your clients' documents from the document platform into the folders your accounting software imports from.$\r$\n$\r$\nIf Ferry is running, it will be closed; its settings and what it has delivered are kept.$\r$\n$\r$\nClick Next to continue."
LangString WelcomeText ${LANG_FRENCH} "L'installation va installer Ferry ${VERSION} pour tous les utilisateurs de cet ordinateur.$\r$\n$\r$\nFerry dépose les documents de vos clients, depuis la plateforme documentaire, dans les dossiers d'où votre logiciel comptable les importe.$\r$\n$\r$\nSi Ferry est en cours d'exécution, il sera fermé ; ses paramètres et ce qu'il a déjà livré sont conservés.$\r$\n$\r$\nCliquez sur Suivant pour continuer."
LangString WelcomeText ${LANG_DUTCH} "Setup installeert Ferry ${VERSION} voor alle gebruikers van deze computer.$\r$\n$\r$\nFerry levert de documenten van uw klanten vanaf het documentplatform af in de mappen waaruit uw boekhoudpakket ze importeert.$\r$\n$\r$\nAls Ferry actief is, wordt het afgesloten; de instellingen en wat het al heeft afgeleverd blijven bewaard.$\r$\n$\r$\nKlik op Volgende om verder te gaan."
LangString SecProgramName ${LANG_ENGLISH} "Ferry"
LangString SecProgramName ${LANG_FRENCH} "Ferry"
LangString SecProgramName ${LANG_DUTCH} "Ferry"
LangString SecAutostartName ${LANG_ENGLISH} "Start Ferry when anyone logs in"
LangString SecAutostartName ${LANG_FRENCH} "Démarrer Ferry à chaque connexion"
LangString SecAutostartName ${LANG_DUTCH} "Ferry starten bij elke aanmelding"
LangString SecServiceName ${LANG_ENGLISH} "Run Ferry as a service (from boot, nobody logged on)"
LangString SecServiceName ${LANG_FRENCH} "Exécuter Ferry comme service (dès le démarrage, sans session ouverte)"
LangString SecServiceName ${LANG_DUTCH} "Ferry als service uitvoeren (vanaf het opstarten, zonder aanmelding)"
LangString SecServiceDesc ${LANG_ENGLISH} "For a server: the Ferry document sync service starts with Windows and syncs this computer's own Ferry (%ProgramData%\Ferry) whether or not anyone is logged in."
LangString SecServiceDesc ${LANG_FRENCH} "Pour un serveur : le service Ferry document sync démarre avec Windows et synchronise le Ferry de cet ordinateur (%ProgramData%\Ferry), que quelqu'un ait ouvert une session ou non."
LangString SecServiceDesc ${LANG_DUTCH} "Voor een server: de service Ferry document sync start met Windows en synchroniseert de eigen Ferry van deze computer (%ProgramData%\Ferry), of er nu iemand is aangemeld of niet."
LangString UnSecProgramName ${LANG_ENGLISH} "Ferry"
LangString UnSecProgramName ${LANG_FRENCH} "Ferry"
LangString UnSecProgramName ${LANG_DUTCH} "Ferry"
LangString UnSecDataName ${LANG_ENGLISH} "Ferry's settings, state and logs"
LangString UnSecDataName ${LANG_FRENCH} "Paramètres, état et journaux de Ferry"
LangString UnSecDataName ${LANG_DUTCH} "Instellingen, status en logboeken van Ferry"
LangString SecProgramDesc ${LANG_ENGLISH} "Ferry in the chosen folder, in the Start menu and in Apps & features."
LangString SecProgramDesc ${LANG_FRENCH} "Ferry dans le dossier choisi, dans le menu Démarrer et dans Applications et fonctionnalités."
LangString SecProgramDesc ${LANG_DUTCH} "Ferry in de gekozen map, in het Startmenu en in Apps en onderdelen."
LangString SecAutostartDesc ${LANG_ENGLISH} "Ferry starts whenever anyone logs in to this computer. Each person can also switch this on for themselves in Ferry's settings."
LangString SecAutostartDesc ${LANG_FRENCH} "Ferry démarre chaque fois que quelqu'un ouvre une session sur cet ordinateur. Chacun peut aussi l'activer pour lui-même dans les paramètres de Ferry."
LangString SecAutostartDesc ${LANG_DUTCH} "Ferry start telkens wanneer iemand zich op deze computer aanmeldt. Iedereen kan dit ook voor zichzelf inschakelen in de instellingen van Ferry."
LangString UnSecProgramDesc ${LANG_ENGLISH} "The program, its Start-menu entry and its start at login."
LangString UnSecProgramDesc ${LANG_FRENCH} "Le programme, son raccourci du menu Démarrer et son démarrage à l'ouverture de session."
LangString UnSecProgramDesc ${LANG_DUTCH} "Het programma, de snelkoppeling in het Startmenu en het starten bij aanmelden."
LangString UnSecDataDesc ${LANG_ENGLISH} "Unticked, your settings, state and logs stay for a later install. Ticked, they are deleted: yours and the computer's."
LangString UnSecDataDesc ${LANG_FRENCH} "Non cochée, vos paramètres, l'état et les journaux restent pour une installation ultérieure. Cochée, ils sont supprimés : les vôtres et ceux de l'ordinateur."
LangString UnSecDataDesc ${LANG_DUTCH} "Niet aangevinkt blijven uw instellingen, status en logboeken bewaard voor een latere installatie. Aangevinkt worden ze verwijderd: die van u en van de computer."
LangString FerryRunning ${LANG_ENGLISH} "Ferry is running. It will be closed to continue."
LangString FerryRunning ${LANG_FRENCH} "Ferry est en cours d'exécution. Il sera fermé pour continuer."
LangString FerryRunning ${LANG_DUTCH} "Ferry is actief. Het wordt afgesloten om verder te gaan."
LangString FerryStillRunning ${LANG_ENGLISH} "Ferry could not be closed. Quit it from its tray icon, then choose Retry."
LangString FerryStillRunning ${LANG_FRENCH} "Ferry n'a pas pu être fermé. Quittez-le depuis son icône de la barre des tâches, puis choisissez Réessayer."
LangString FerryStillRunning ${LANG_DUTCH} "Ferry kon niet worden afgesloten. Sluit het af via het pictogram in het systeemvak en kies daarna Opnieuw."
LangString NeedsAdmin ${LANG_ENGLISH} "Ferry installs for every user of this computer: run Setup as an administrator."
LangString NeedsAdmin ${LANG_FRENCH} "Ferry s'installe pour tous les utilisateurs de cet ordinateur : lancez l'installation en tant qu'administrateur."
LangString NeedsAdmin ${LANG_DUTCH} "Ferry wordt voor alle gebruikers van deze computer geïnstalleerd: start Setup als beheerder."
LangString NeedsWindows10 ${LANG_ENGLISH} "Ferry needs Windows 10 or later."
LangString NeedsWindows10 ${LANG_FRENCH} "Ferry nécessite Windows 10 ou plus récent."
LangString NeedsWindows10 ${LANG_DUTCH} "Ferry vereist Windows 10 of nieuwer."
LangString DataKept ${LANG_ENGLISH} "Ferry's settings, state and logs were kept (%APPDATA%\Ferry, %LOCALAPPDATA%\Ferry, %ProgramData%\Ferry)."
LangString DataKept ${LANG_FRENCH} "Les paramètres, l'état et les journaux de Ferry ont été conservés (%APPDATA%\Ferry, %LOCALAPPDATA%\Ferry, %ProgramData%\Ferry)."
LangString DataKept ${LANG_DUTCH} "De instellingen, status en logboeken van Ferry zijn bewaard (%APPDATA%\Ferry, %LOCALAPPDATA%\Ferry, %ProgramData%\Ferry)."

Var PreviousLocation ; where an installed Ferry is, empty on a first install

; Ask one program to close (WM_CLOSE to its windows), give it two seconds, then end it.
; Ending it is safe: Ferry finishes or redoes any delivery after a kill at any instant.
!macro FERRY_CLOSE_IMAGE IMAGE
  nsExec::Exec '"$SYSDIR\taskkill.exe" /IM "${IMAGE}"'
  Pop $1 ; 0: it was running and was asked; 128: not running
  ${If} $1 == 0
    Sleep 2000
    nsExec::Exec '"$SYSDIR\taskkill.exe" /F /IM "${IMAGE}"'
    Pop $1
    Sleep 500
  ${EndIf}
!macroend

; $0 = 1 when FILE exists and is in use (Windows keeps a running exe open without
; write sharing, so it cannot be opened for writing).
!macro FERRY_IF_IN_USE FILE
  ${If} ${FileExists} "${FILE}"
    ClearErrors
    FileOpen $1 "${FILE}" a
    ${If} ${Errors}
      StrCpy $0 1
    ${Else}
      FileClose $1
    ${EndIf}
  ${EndIf}
!macroend

; -- shared by the installer and the uninstaller ---------------------------------------------------

!macro FERRY_SHARED_FUNCTIONS un

; The Run command line for $INSTDIR\Ferry.exe, exactly as app/autostart.py writes it for a
; frozen Ferry: subprocess.list2cmdline([exe]), i.e. quoted only when the path holds a space
; or a tab, and no arguments (the standard home needs no --home). Result in $R9.
Function ${un}FerryCommand
  Push $0
  Push $1
  StrCpy $R9 "$INSTDIR\${EXE}"
  StrCpy $0 0
  ${Do}
    StrCpy $1 $R9 1 $0
    ${If} $1 == ""
      ${Break}
    ${ElseIf} $1 == " "
    ${OrIf} $1 == "$\t"
      StrCpy $R9 '"$R9"'
      ${Break}
    ${EndIf}
    IntOp $0 $0 + 1
  ${Loop}
  Pop $1
  Pop $0
FunctionEnd

; $R7 = the version the installation in $INSTDIR starts (its `current` file, as the
; launchers and app/updates/layout.py read it), or "" for none (a first install, or a flat
; installation from before versioned folders).
Function ${un}CurrentVersion
  Push $0
  StrCpy $R7 ""
  ClearErrors
  FileOpen $0 "$INSTDIR\current" r
  ${IfNot} ${Errors}
    FileRead $0 $R7
    FileClose $0
    ${TrimNewLines} "$R7" $R7
    ${IfNot} ${FileExists} "$INSTDIR\versions\$R7\${EXE}"
      StrCpy $R7 ""
    ${EndIf}
  ${EndIf}
  Pop $0
FunctionEnd

; $R8 = the installed program itself (not a launcher): versions\<current>\Ferry.exe, or the
; flat installation's Ferry.exe. The service commands go to it: the windowed launcher does not
; wait for the program it starts.
Function ${un}InstalledProgram
  Call ${un}CurrentVersion
  ${If} $R7 != ""
    StrCpy $R8 "$INSTDIR\versions\$R7\${EXE}"
  ${Else}
    StrCpy $R8 "$INSTDIR\${EXE}"
  ${EndIf}
FunctionEnd

; $0 = 1 when one of our programs in $INSTDIR is running: a launcher, the current version's
; programs, or a flat installation's; else 0.
Function ${un}FerryInUse
  Push $R7
  StrCpy $0 0
  !insertmacro FERRY_IF_IN_USE "$INSTDIR\${EXE}"
  !insertmacro FERRY_IF_IN_USE "$INSTDIR\${CLI_EXE}"
  Call ${un}CurrentVersion
  ${If} $R7 != ""
    !insertmacro FERRY_IF_IN_USE "$INSTDIR\versions\$R7\${EXE}"
    !insertmacro FERRY_IF_IN_USE "$INSTDIR\versions\$R7\${CLI_EXE}"
  ${EndIf}
  Pop $R7
FunctionEnd

; Close a running Ferry before its files are replaced or removed. Interactive: say so when
; Ferry runs from this folder (OK/Cancel), and offer Retry when it will not close. Silent:
; close any Ferry.exe and ferry-cli.exe (taskkill /IM) and go on.
Function ${un}CloseFerry
  Push $0
  Push $1
  ${IfNot} ${Silent}
    Call ${un}FerryInUse
    ${If} $0 == 0
      Goto done
    ${EndIf}
    MessageBox MB_OKCANCEL|MB_ICONINFORMATION "$(FerryRunning)" IDOK close
    Abort
  ${EndIf}
  close:
  !insertmacro FERRY_CLOSE_IMAGE "${EXE}"
  !insertmacro FERRY_CLOSE_IMAGE "${CLI_EXE}"
  ${IfNot} ${Silent}
    Call ${un}FerryInUse
    ${If} $0 == 1
      MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "$(FerryStillRunning)" IDRETRY close
      Abort
    ${EndIf}
  ${EndIf}
  done:
  Pop $1
  Pop $0
FunctionEnd

; $0 = 1 when the Ferry service is registered with the service manager, else 0.
Function ${un}ServiceInstalled
  ClearErrors
  ReadRegStr $0 HKLM "${SERVICE_KEY}" "ImagePath"
  ${If} $0 == ""
    StrCpy $0 0
  ${Else}
    StrCpy $0 1
  ${EndIf}
FunctionEnd

; Start at login, for every user, off: the Run value and Task Manager's switch for it.
Function ${un}RemoveMachineAutostart
  DeleteRegValue HKLM "${RUN_KEY}" "${RUN_VALUE}"
  DeleteRegValue HKLM "${APPROVED_KEY}" "${RUN_VALUE}"
FunctionEnd

; Only an administrator can write Program Files and HKLM.
Function ${un}CheckAdmin
  UserInfo::GetAccountType
  Pop $0
  ${If} $0 != "Admin"
    MessageBox MB_OK|MB_ICONSTOP "$(NeedsAdmin)" /SD IDOK
    SetErrorLevel 740 ; ERROR_ELEVATION_REQUIRED
    Quit
  ${EndIf}
FunctionEnd

!macroend

!insertmacro FERRY_SHARED_FUNCTIONS ""
!insertmacro FERRY_SHARED_FUNCTIONS "un."

; Stop the service before its program is replaced or removed: closing Ferry.exe (taskkill)
; would kill it instead, and the service manager would restart it among half-copied files.
; Ferry.exe (windowed: no console) waits until the service has stopped.
Function StopService
  Push $0
  Call ServiceInstalled
  Call InstalledProgram
  ${If} $0 == 1
  ${AndIf} ${FileExists} "$R8"
    DetailPrint "Stopping the ${SERVICE_NAME} service"
    ExecWait '"$R8" service stop' $0
  ${EndIf}
  Pop $0
FunctionEnd

; Write $1 into the file $0 (a version and a line end), as app/updates/layout.py writes it.
Function WriteVersionFile
  Push $2
  FileOpen $2 "$0" w
  FileWrite $2 "$1$\r$\n"
  FileClose $2
  Pop $2
FunctionEnd

; -- install --------------------------------------------------------------------------------------

Section "$(SecProgramName)" SecProgram
  SectionIn RO
  Call StopService
  Call CloseFerry

  ; moved with /D=: the previous folder's uninstaller removes it first (keeping user data)
  ${If} $PreviousLocation != ""
  ${AndIf} $PreviousLocation != $INSTDIR
  ${AndIf} ${FileExists} "$PreviousLocation\${UNINSTALLER}"
    DetailPrint "Removing the previous Ferry from $PreviousLocation"
    ExecWait '"$PreviousLocation\${UNINSTALLER}" /S _?=$PreviousLocation'
    Delete "$PreviousLocation\${UNINSTALLER}"
    RMDir "$PreviousLocation"
  ${EndIf}

  ; the version that ran until now ("" for a flat installation, or none)
  Call CurrentVersion
  ; a flat installation (the program's own files at the top) goes whole: no module of the old
  ; version stays behind; the launchers take the program's names
  ${If} ${FileExists} "$INSTDIR\${UNINSTALLER}"
    !insertmacro FERRY_REMOVE_PROGRAM_FILES
  ${EndIf}
  ; this version in a folder of its own, whole (a reinstall of the same version replaces it)
  RMDir /r "$INSTDIR\versions\${VERSION}"
  SetOutPath "$INSTDIR\versions\${VERSION}"
  File /r "${SOURCE}/*"
  SetOutPath "$INSTDIR"
  File "${LAUNCHERS}/${EXE}"
  File "${LAUNCHERS}/${CLI_EXE}"
  ; the one that ran becomes previous (an update can go back to it); a flat one is gone
  ${If} $R7 == ""
    Delete "$INSTDIR\previous"
  ${ElseIf} $R7 != "${VERSION}"
    StrCpy $0 "$INSTDIR\previous"
    StrCpy $1 $R7
    Call WriteVersionFile
  ${EndIf}
  StrCpy $0 "$INSTDIR\current"
  StrCpy $1 "${VERSION}"
  Call WriteVersionFile
  Delete "$INSTDIR\health\${VERSION}" ; nobody waits for it: an update writes its own
  ; versions other than this one and the previous go (one still in use stays, for the next)
  FindFirst $3 $2 "$INSTDIR\versions\*"
  ${DoWhile} $2 != ""
    ${If} $2 != "."
    ${AndIf} $2 != ".."
    ${AndIf} $2 != "${VERSION}"
    ${AndIf} $2 != $R7
      DetailPrint "Removing Ferry $2"
      RMDir /r "$INSTDIR\versions\$2"
    ${EndIf}
    FindNext $3 $2
  ${Loop}
  FindClose $3
  WriteUninstaller "$INSTDIR\${UNINSTALLER}"

  CreateShortcut "$SMPROGRAMS\${PRODUCT}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0

  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "${PRODUCT}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${EXE},0"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\${UNINSTALLER}"'
  WriteRegStr HKLM "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\${UNINSTALLER}" /S'
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "EstimatedSize" $0
SectionEnd

; How this relates to Ferry's own "Start Ferry when I log in" setting (app/autostart.py): Ferry
; writes the value "Ferry" under HKCU\...\Run for the person who ticks it; this writes the
; same value name with the same command line under HKLM\...\Run, for everyone. Windows runs
; both hives' Run values (the shared name does not merge them), so Ferry reads both: while
; this machine-wide entry starts it, ticking the setting writes nothing per user (and removes
; a per-user duplicate), the setting shows it on for everyone, and unticking it says that
; only an administrator can turn it off (/AUTOSTART=0, or Task Manager's Startup tab).
Section /o "$(SecAutostartName)" SecAutostart
  Call FerryCommand
  WriteRegStr HKLM "${RUN_KEY}" "${RUN_VALUE}" "$R9"
SectionEnd

Section "-Autostart off"
  ${IfNot} ${SectionIsSelected} ${SecAutostart}
    Call RemoveMachineAutostart
  ${EndIf}
SectionEnd

; The service runs the program just installed: registered once (an upgrade keeps it, with its
; account), then started (again, after an upgrade stopped it). A start that fails (nobody
; logged in yet) is said in Ferry's log and the Event Log, never a failed setup.
Section /o "$(SecServiceName)" SecService
  ; installed from this version's folder; over an installed service (an upgrade) the same
  ; command points it at this version, its account and home kept
  DetailPrint "Installing the ${SERVICE_NAME} service"
  ExecWait '"$INSTDIR\versions\${VERSION}\${EXE}" service install' $0
  DetailPrint "Starting the ${SERVICE_NAME} service"
  ExecWait '"$INSTDIR\versions\${VERSION}\${EXE}" service start' $0
SectionEnd

Section "-Service off"
  ${IfNot} ${SectionIsSelected} ${SecService}
    Call ServiceInstalled
    ${If} $0 == 1
      DetailPrint "Removing the ${SERVICE_NAME} service"
      ExecWait '"$INSTDIR\versions\${VERSION}\${EXE}" service uninstall' $0
    ${EndIf}
  ${EndIf}
SectionEnd

!insertmacro MUI_FUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${SecProgram} "$(SecProgramDesc)"
  !insertmacro MUI_DESCRIPTION_TEXT ${SecAutostart} "$(SecAutostartDesc)"
  !insertmacro MUI_DESCRIPTION_TEXT ${SecService} "$(SecServiceDesc)"
!insertmacro MUI_FUNCTION_DESCRIPTION_END

Function .onInit
  SetShellVarContext all
  SetRegView 64
  Call CheckAdmin
  ; Python 3.11 and Qt 6 need Windows 10 (Wine 8.0's prefixes say Windows 7 until
  ; `winecfg /v win10`)
  ${IfNot} ${AtLeastWin10}
    MessageBox MB_OK|MB_ICONSTOP "$(NeedsWindows10)" /SD IDOK
    SetErrorLevel 1150 ; ERROR_OLD_WIN_VERSION
    Quit
  ${EndIf}
  ReadRegStr $PreviousLocation HKLM "${UNINSTALL_KEY}" "InstallLocation"

  ; start at login: /AUTOSTART=1 or 0 when given, else what the installed Ferry has (off on a
  ; first install)
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/AUTOSTART=" $R1
  ${If} ${Errors}
    ReadRegStr $R1 HKLM "${RUN_KEY}" "${RUN_VALUE}"
    ${If} $PreviousLocation != ""
    ${AndIf} $R1 != ""
      StrCpy $R1 1
    ${Else}
      StrCpy $R1 0
    ${EndIf}
  ${EndIf}
  ${If} $R1 == 1
    !insertmacro SelectSection ${SecAutostart}
  ${Else}
    !insertmacro UnselectSection ${SecAutostart}
  ${EndIf}

  ; the service: /SERVICE=1 or 0 when given, else what this computer has (off on a first
  ; install)
  ClearErrors
  ${GetOptions} $R0 "/SERVICE=" $R1
  ${If} ${Errors}
    Call ServiceInstalled
    StrCpy $R1 $0
  ${EndIf}
  ${If} $R1 == 1
    !insertmacro SelectSection ${SecService}
  ${Else}
    !insertmacro UnselectSection ${SecService}
  ${EndIf}
FunctionEnd

; Ferry runs as the person, not elevated like Setup: Explorer starts it.
Function LaunchFerry
  Exec '"$WINDIR\explorer.exe" "$INSTDIR\${EXE}"'
FunctionEnd

; -- uninstall ------------------------------------------------------------------------------------

Section "un.$(UnSecProgramName)" UnSecProgram
  SectionIn RO
  ; the service first: stopped and removed while its program is still there to do it
  Call un.ServiceInstalled
  ${If} $0 == 1
    DetailPrint "Removing the ${SERVICE_NAME} service"
    Call un.InstalledProgram
    ${If} ${FileExists} "$R8"
      ExecWait '"$R8" service uninstall' $0
    ${EndIf}
    Call un.ServiceInstalled
    ${If} $0 == 1 ; a program that could not do it: the service manager's own tool
      nsExec::Exec '"$SYSDIR\sc.exe" stop ${SERVICE_NAME}'
      Pop $0
      Sleep 3000
      nsExec::Exec '"$SYSDIR\sc.exe" delete ${SERVICE_NAME}'
      Pop $0
    ${EndIf}
  ${EndIf}
  Call un.CloseFerry

  Call un.RemoveMachineAutostart
  ; the uninstalling person's own start-at-login entry (app/autostart.py), when it starts
  ; this Ferry: it would point at a program that is gone
  Call un.FerryCommand
  ReadRegStr $0 HKCU "${RUN_KEY}" "${RUN_VALUE}"
  ${If} $0 == $R9
  ${OrIf} $0 == "$INSTDIR\${EXE}"
  ${OrIf} $0 == '"$INSTDIR\${EXE}"'
    DeleteRegValue HKCU "${RUN_KEY}" "${RUN_VALUE}"
    DeleteRegValue HKCU "${APPROVED_KEY}" "${RUN_VALUE}"
  ${EndIf}

  Delete "$SMPROGRAMS\${PRODUCT}.lnk"
  ; every version, the launchers, and what updates keep beside them (app/updates/layout.py)
  RMDir /r "$INSTDIR\versions"
  RMDir /r "$INSTDIR\health"
  Delete "$INSTDIR\current"
  Delete "$INSTDIR\previous"
  Delete "$INSTDIR\failed-versions"
  Delete "$INSTDIR\update-result.json"
  Delete "$INSTDIR\update-plan.json"
  Delete "$INSTDIR\update-helper.log"
  !insertmacro FERRY_REMOVE_PROGRAM_FILES ; the launchers, or a flat installation's files
  Delete "$INSTDIR\${UNINSTALLER}"
  RMDir "$INSTDIR" ; only when empty: it may be a folder the person chose with /D=
  DeleteRegKey HKLM "${UNINSTALL_KEY}"
SectionEnd

; Settings (%APPDATA%\Ferry), state and logs (%LOCALAPPDATA%\Ferry) of the person who
; uninstalls, and the computer's (%ProgramData%\Ferry). Other accounts' folders are theirs.
Section /o "un.$(UnSecDataName)" UnSecData
  SetShellVarContext current
  RMDir /r "$APPDATA\${PRODUCT}"
  RMDir /r "$LOCALAPPDATA\${PRODUCT}"
  SetShellVarContext all
  RMDir /r "$APPDATA\${PRODUCT}" ; all users' application data: %ProgramData%
SectionEnd

Section "-un.Data kept"
  ${IfNot} ${SectionIsSelected} ${UnSecData}
    DetailPrint "$(DataKept)"
  ${EndIf}
SectionEnd

!insertmacro MUI_UNFUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${UnSecProgram} "$(UnSecProgramDesc)"
  !insertmacro MUI_DESCRIPTION_TEXT ${UnSecData} "$(UnSecDataDesc)"
!insertmacro MUI_UNFUNCTION_DESCRIPTION_END

Function un.onInit
  SetShellVarContext all
  SetRegView 64
  Call un.CheckAdmin
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/PURGE=" $R1
  ${IfNot} ${Errors}
  ${AndIf} $R1 == 1
    !insertmacro SelectSection ${UnSecData}
  ${EndIf}
FunctionEnd

; the launchers were read into the installer above: their folder goes
!system 'python3 -c "import shutil, sys; shutil.rmtree(sys.argv[1])" "${LAUNCHERS}"' = 0
