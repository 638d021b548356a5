* survey-data.sps — the data and dictionary of survey.sps (INSERTed twice).
DATA LIST LIST /id (F4.0) kommune (F4.0) ktype (F1.0) collab_1 (F1.0) services (F2.0) child_age (F4.1) svar_dato (A10) fritekst (A40).
BEGIN DATA
1,301,1,4,3,7.5,2023-03-01,"Bra samarbeid med skolen"
2,301,2,2,5,12.0,2023-03-02,"Koordinatoren var lite tilgjengelig"
3,4601,3,8,2,3.5,2023-03-05,"Vet ikke hvem som har ansvaret"
4,4601,1,5,97,15.0,2023-03-07,"Fått hjelp til søknad om støtte"
5,5001,2,3,4,9.0,2023-03-07,"Møter på tvers av etater fungerer"
6,5001,3,9,1,.,2023-03-09,''
7,1103,1,1,6,4.0,2023-03-10,"Ærlig talt: for mye skjemaer"
8,1103,2,4,2,16.5,2023-03-12,"Økonomisk støtte er uklart"
9,301,1,5,3,11.0,2023-03-14,"Godt å ha én å ringe"
10,3401,3,2,98,6.0,2023-03-15,"Ingen koordinator ennå"
11,3401,2,3,5,8.5,2023-03-18,"Bedre enn før reformen"
12,1806,1,4,3,13.0,2023-03-20,"Nødvendig med mer tid på å følge opp"
END DATA.
COMPUTE svar_date = NUMBER(svar_dato, SDATE10).
FORMATS svar_date (SDATE10).
VARIABLE LABELS
  id 'Respondent'
  kommune 'Kommunenummer'
  ktype 'Type koordinator'
  collab_1 'Samarbeidet mellom tjenestene fungerer godt'
  services 'Antall tjenester familien mottar'
  child_age 'Barnets alder (år)'
  svar_date 'Svardato'
  fritekst 'Kommentar (fritekst)'.
VALUE LABELS
  ktype 1 'Barnekoordinator' 2 'Koordinator' 3 'Ingen'
  /collab_1 1 'Helt uenig' 2 'Uenig' 3 'Verken eller' 4 'Enig' 5 'Helt enig' 8 'Vet ikke' 9 'Ikke svart'.
MISSING VALUES collab_1 (8, 9) /services (97 THRU 99).
VARIABLE LEVEL ktype (NOMINAL) /collab_1 (ORDINAL) /services child_age (SCALE).
DELETE VARIABLES svar_dato.
