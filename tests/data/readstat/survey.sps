* survey.sps — the SPSS test files for reformstat's ReadStat reader.
* Run from tests/data/readstat:  pspp survey.sps  (survey-data.sps holds the data)
* Writes survey.sav (UTF-8), survey.zsav (compressed), survey.por (portable)
* and survey-1252.sav (text in Windows-1252, as old SPSS versions write).
* 12 families: id, kommune, coordinator type (value labels), a Likert item
* collab_1 (1-5 labelled, 8 "vet ikke" and 9 "ikke svart" user-missing),
* number of services with a missing range 97 THRU 99, child age, a date
* and a free-text comment (fritekst) with æøå.

SET LOCALE='UTF-8'.
INSERT FILE='survey-data.sps' ENCODING='UTF-8'.
SAVE OUTFILE='survey.sav'.
SAVE OUTFILE='survey.zsav' /ZCOMPRESSED.
EXPORT OUTFILE='survey.por'.

NEW FILE.
SET LOCALE='windows-1252'.
INSERT FILE='survey-data.sps' ENCODING='UTF-8'.
SAVE OUTFILE='survey-1252.sav'.
