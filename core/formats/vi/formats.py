# A day in the admin's lists, as Vietnamese papers write it: "02/12/2026" (Django's own is
# "02-12-2026"; "02 Tháng 12 2026" would not fit the list's narrow date column).
SHORT_DATE_FORMAT = "d/m/Y"
