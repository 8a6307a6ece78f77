; TAMA Desk installer (NSIS 3, Unicode, Modern UI 2).
;
;   makensis -DVERSION=0.1.0 installer/TamaDesk.nsi
;
; Optional defines: DISTDIR (the PyInstaller onedir folder, default ..\dist\TamaDesk)
; and OUTFILE (default ..\dist\TamaDesk-Setup-${VERSION}.exe); relative paths are
; relative to this file's folder.
;
; Per-user install, no administrator rights: the program goes to
; %LOCALAPPDATA%\Programs\TamaDesk, shortcuts and the Apps & Features entry to the
; current user. The user's data (database, backups, logs, settings) lives in
; %LOCALAPPDATA%\TamaDesk, a separate folder the installer never touches and the
; uninstaller removes only when asked to (the unticked "remove data" component,
; or /REMOVEDATA on the uninstaller's command line).
;
; Silent use:  TamaDesk-Setup-x.y.z.exe /S [/D=C:\path]
;              Uninstall.exe /S [/REMOVEDATA]

Unicode true
ManifestDPIAware true
SetCompressor /SOLID lzma
; A 64 MB dictionary (the default is 8 MB) lets LZMA see across the whole program folder.
SetCompressorDictSize 64

; A 64-bit installer where this NSIS has the amd64 stubs (Debian's makensis does):
; the program itself needs 64-bit Windows anyway, and Wine without its 32-bit part
; (scripts/windows-smoke) cannot run a 32-bit installer. The official Windows
; NSIS ships only x86 stubs; the 32-bit installer it makes installs the same way
; (per-user folders and HKCU keys are not redirected for 32-bit programs).
; Override with -DTARGET_ARCH=x86-unicode or amd64-unicode.
!ifndef TARGET_ARCH
  !if /FileExists "${NSISDIR}\Stubs\lzma_solid-amd64-unicode"
    !define TARGET_ARCH "amd64-unicode"
  !else
    !define TARGET_ARCH "x86-unicode"
  !endif
!endif
Target ${TARGET_ARCH}

!ifndef VERSION
  !error "Pass the version: makensis -DVERSION=x.y.z TamaDesk.nsi"
!endif
!ifndef DISTDIR
  !define DISTDIR "..\dist\TamaDesk"
!endif
!ifndef OUTFILE
  !define OUTFILE "..\dist\TamaDesk-Setup-${VERSION}.exe"
!endif

!define APP_NAME "TAMA Desk"
!define APP_ID "TamaDesk"
!define PUBLISHER "TAMA Desk"
!define APP_EXE "TamaDesk.exe"
!define CLI_EXE "TamaDeskCli.exe"
!define UNINSTALL_EXE "Uninstall.exe"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_ID}"
!define SETTINGS_KEY "Software\${APP_ID}"
; Must match tama_desk.paths (platformdirs user_data_dir("TamaDesk", ..., roaming=False)).
!define DATA_DIR "$LOCALAPPDATA\${APP_ID}"

; VIProductVersion wants four numbers: 0.1.0 -> 0.1.0.0
!searchparse /noerrors "${VERSION}" "" VER_MAJOR "." VER_MINOR "." VER_PATCH
!ifndef VER_MAJOR
  !define VER_MAJOR 0
!endif
!ifndef VER_MINOR
  !define VER_MINOR 0
!endif
!ifndef VER_PATCH
  !define VER_PATCH 0
!endif

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"
!include "Sections.nsh"

Name "${APP_NAME} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${APP_ID}"
InstallDirRegKey HKCU "${SETTINGS_KEY}" "InstallDir"
RequestExecutionLevel user
BrandingText "${APP_NAME} ${VERSION}"

VIProductVersion "${VER_MAJOR}.${VER_MINOR}.${VER_PATCH}.0"
VIFileVersion "${VER_MAJOR}.${VER_MINOR}.${VER_PATCH}.0"
VIAddVersionKey /LANG=0 "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileDescription" "${APP_NAME} Setup"
VIAddVersionKey /LANG=0 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=0 "LegalCopyright" "(C) ${PUBLISHER}"

; --- Modern UI -----------------------------------------------------------------
!define MUI_ICON "..\assets\icons\tamadesk.ico"
!define MUI_UNICON "..\assets\icons\tamadesk.ico"
!define MUI_ABORTWARNING
; 164x314 picture of the welcome and finish pages (assets/icons/make_icon.py draws it).
!define MUI_WELCOMEFINISHPAGE_BITMAP "..\assets\icons\installer-welcome.bmp"
!define MUI_COMPONENTSPAGE_NODESC
!define MUI_UNCOMPONENTSPAGE_NODESC

; Remember the installer language for the uninstaller.
!define MUI_LANGDLL_REGISTRY_ROOT HKCU
!define MUI_LANGDLL_REGISTRY_KEY "${SETTINGS_KEY}"
!define MUI_LANGDLL_REGISTRY_VALUENAME "InstallerLanguage"

!define MUI_FINISHPAGE_RUN "$INSTDIR\${APP_EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "$(RunAppText)"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_LICENSE "LICENSE.txt"
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES

; The first language is the default when the system language is neither.
!insertmacro MUI_LANGUAGE "Japanese"
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_RESERVEFILE_LANGDLL

LangString SecProgramName ${LANG_JAPANESE} "TAMA Desk 本体"
LangString SecProgramName ${LANG_ENGLISH} "TAMA Desk program"
LangString SecDesktopName ${LANG_JAPANESE} "デスクトップにショートカットを作成"
LangString SecDesktopName ${LANG_ENGLISH} "Desktop shortcut"
LangString UnSecProgramName ${LANG_JAPANESE} "TAMA Desk 本体"
LangString UnSecProgramName ${LANG_ENGLISH} "TAMA Desk program"
LangString UnSecDataName ${LANG_JAPANESE} "データ（会員データベース・バックアップ・設定）も削除する"
LangString UnSecDataName ${LANG_ENGLISH} "Also remove my data (member database, backups, settings)"
LangString RunAppText ${LANG_JAPANESE} "TAMA Desk を起動する"
LangString RunAppText ${LANG_ENGLISH} "Start TAMA Desk"
LangString AppRunning ${LANG_JAPANESE} "TAMA Desk が起動しています。終了してから「再試行」を押してください。"
LangString AppRunning ${LANG_ENGLISH} "TAMA Desk is running. Close it, then press Retry."
LangString ConfirmRemoveData ${LANG_JAPANESE} "データフォルダー $\"${DATA_DIR}$\" を削除します。会員データベースとバックアップは元に戻せません。よろしいですか？"
LangString ConfirmRemoveData ${LANG_ENGLISH} "This deletes the data folder $\"${DATA_DIR}$\", including the member database and its backups. This cannot be undone. Continue?"

; --- helpers -------------------------------------------------------------------
; Waits until the installed program is not running (its exe can be opened for
; writing), so an upgrade or uninstall does not leave half-replaced files.
!macro WAIT_APP_CLOSED UN
Function ${UN}WaitAppClosed
  retry:
  ${If} ${FileExists} "$INSTDIR\${APP_EXE}"
    ClearErrors
    FileOpen $0 "$INSTDIR\${APP_EXE}" a
    ${If} ${Errors}
      MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "$(AppRunning)" /SD IDCANCEL IDRETRY retry
      SetErrorLevel 2
      Quit
    ${EndIf}
    FileClose $0
  ${EndIf}
FunctionEnd
!macroend
!insertmacro WAIT_APP_CLOSED ""
!insertmacro WAIT_APP_CLOSED "un."

; Removes only what the installer puts in $INSTDIR (never the folder recursively:
; the user may have chosen a folder that holds other files).
!macro REMOVE_PROGRAM_FILES
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${APP_EXE}"
  Delete "$INSTDIR\${CLI_EXE}"
!macroend

; --- install -------------------------------------------------------------------
Function .onInit
  ; The language dialog is for interactive installs; /S uses the system language.
  ${IfNot} ${Silent}
    !insertmacro MUI_LANGDLL_DISPLAY
  ${EndIf}
FunctionEnd

Section "!$(SecProgramName)" SecProgram
  SectionIn RO
  Call WaitAppClosed
  ; Upgrade: drop the previous version's program files first so no stale module
  ; or DLL survives. The data folder is elsewhere and is not touched.
  !insertmacro REMOVE_PROGRAM_FILES

  SetOutPath "$INSTDIR"
  File /r "${DISTDIR}\*.*"
  WriteUninstaller "$INSTDIR\${UNINSTALL_EXE}"

  SetShellVarContext current
  CreateShortcut "$SMPROGRAMS\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0

  WriteRegStr HKCU "${SETTINGS_KEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\${UNINSTALL_EXE}"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\${UNINSTALL_EXE}" /S'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${APP_EXE},0"
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" "$0"
SectionEnd

Section "$(SecDesktopName)" SecDesktop
  SetShellVarContext current
  CreateShortcut "$DESKTOP\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0
SectionEnd

; --- uninstall -----------------------------------------------------------------

Section "!un.$(UnSecProgramName)" UnSecProgram
  SectionIn RO
  Call un.WaitAppClosed
  SetShellVarContext current
  Delete "$SMPROGRAMS\${APP_NAME}.lnk"
  Delete "$DESKTOP\${APP_NAME}.lnk"
  !insertmacro REMOVE_PROGRAM_FILES
  Delete "$INSTDIR\${UNINSTALL_EXE}"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  DeleteRegKey HKCU "${SETTINGS_KEY}"
SectionEnd

; Unticked by default, so a plain (or silent) uninstall keeps the data.
Section /o "un.$(UnSecDataName)" UnSecData
  ${IfNot} ${Silent}
    MessageBox MB_YESNO|MB_ICONEXCLAMATION|MB_DEFBUTTON2 "$(ConfirmRemoveData)" IDYES remove_data
    Return
  ${EndIf}
  remove_data:
  RMDir /r "${DATA_DIR}"
SectionEnd

; After the sections: it refers to ${UnSecData}, defined by the section above.
Function un.onInit
  !insertmacro MUI_UNGETLANGUAGE
  ; /REMOVEDATA ticks "remove my data" (for silent uninstalls that should wipe it).
  ${GetParameters} $0
  ClearErrors
  ${GetOptions} $0 "/REMOVEDATA" $1
  ${IfNot} ${Errors}
    !insertmacro SelectSection ${UnSecData}
  ${EndIf}
FunctionEnd
