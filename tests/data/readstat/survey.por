ASCII SPSS PORT FILE                    ASCII SPSS PORT FILE                    
ASCII SPSS PORT FILE                    ASCII SPSS PORT FILE                    
ASCII SPSS PORT FILE                    0000000000000000000000000000000000000000
0000000000000000000000000123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrst
uvwxyz .<(+|&[]!$*);^-/|,%_>?`:$@'="000000~-0000123456789000-()0{}\0000000000000
00000000000000000000000000000000000000000000000000000000SPSSPORTA8/202611236/182
8181E/GNU pspp 1.6.23J/x86_64-pc-linux-gnu48/5B/70/2/ID5/4/0/5/4/0/CA/Respondent
70/7/KOMMUNE5/4/0/5/4/0/CD/Kommunenummer70/5/KTYPE5/1/0/5/1/0/CG/Type koordinato
r70/8/COLLAB_15/1/0/5/1/0/88/89/C1D/Samarbeidet mellom tjenestene fungerer godt7
0/8/SERVICES5/2/0/5/2/0/B37/39/C12/Antall tjenester familien mottar70/8/CHILD_AG
5/5/1/5/5/1/CJ/Barnets alder (år)71A/8/FRITEKST1/1A/0/1/1A/0/CK/Kommentar (frit
ekst)70/8/SVAR_DAT19/A/0/19/A/0/C8/SvardatoD1/5/KTYPE3/1/G/Barnekoordinator2/B/K
oordinator3/5/IngenD1/8/COLLAB_17/1/A/Helt uenig2/5/Uenig3/C/Verken eller4/4/Eni
g5/9/Helt enig8/8/Vet ikke9/A/Ikke svartF1/A1/1/4/3/7.F/1A/Bra samarbeid med sko
len                J1QO+3/2/A1/2/2/5/C/1A/Koordinatoren var lite tilgjengelig   
  J1QR600/3/53B/3/8/2/3.F/1A/Vet ikke hvem som har ansvaret          J1R6O00/4/5
3B/1/5/37/F/1A/Fått hjelp til søknad om støtte      J1RD600/5/5GL/2/3/4/9/1A/
Møter på tvers av etater fungerer     J1RD600/6/5GL/3/9/1/*.1A/               
                         J1RJI00/7/16N/1/1/6/4/1A/Ærlig talt: for mye skjemaer 
          J1RMO00/8/16N/2/4/2/G.F/1A/Økonomisk støtte er uklart            J1R
T600/9/A1/1/5/3/B/1A/Godt å ha én å ringe                 J1S5I00/A/3NB/3/2/3
8/6/1A/Ingen koordinator ennå                 J1S8O00/B/3NB/2/3/5/8.F/1A/Bedre 
enn før reformen                 J1SIC00/C/206/1/4/3/D/1A/Nødvendig med mer ti
d på å følge oppJ1SOO00/ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ
