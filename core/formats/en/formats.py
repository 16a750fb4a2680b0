# A day in the admin's lists: "02 Dec 2026".
SHORT_DATE_FORMAT = "d M Y"
