"""Well-known weak passwords, lower case, written for NEVGuard from the words that top every
public leak analysis. `passwords._is_common` also strips digits and symbols from both ends and
undoes leetspeak before looking here, so "P@ssw0rd2024!" matches "password"; the list therefore
holds bare words and the long phrases that pass the length rule on their own."""

from __future__ import annotations

from typing import Final

_WORDS: Final = """
password passw0rd passwort motdepasse contrasena senha wachtwoord haslo salasana parola
mima woaini woaini1314 aini1314 iloveyou iloveyou2 loveyou lovely love loveme
admin administrator root toor superuser sysadmin webadmin guest user test tester testing
welcome welcome1 letmein changeme default secret private master qwerty qwertz azerty
abc abcd abcdef abcdefg abcdefgh abc123 qwe123 asd123 zxc123 qaz123 pass pass123
monkey dragon shadow sunshine princess football baseball basketball soccer hockey
superman batman spiderman pokemon starwars trustno1 whatever freedom michael jennifer
jordan hunter ranger buster thomas robert daniel charlie andrew joshua matthew jessica
ashley amanda nicole michelle tigger ginger pepper cookie cheese banana chocolate
summer winter spring autumn flower purple orange yellow silver golden diamond
killer hello helloworld hellokitty computer internet samsung apple google facebook
linkedin twitter microsoft windows linux ubuntu oracle mysql postgres postgresql
nevguard tbox telematics vehicle electric battery tesla byd nio xpeng geely
master123 admin123 root123 test123 password1 password12 password123 password1234
qwertyuiop qwertyuiop123 1q2w3e4r5t6y 1q2w3e4r 1qaz2wsx 1qaz2wsx3edc zaq12wsx
iloveyou123 iloveyou1234 princess123 football123 sunshine123 monkey123 dragon123
letmeinplease letmein123 changeme123 welcome123 welcome2024 welcome2025
passwordpassword adminadmin rootroot testtest useruser guestguest
correcthorsebatterystaple correcthorse thequickbrownfox thequickbrownfoxjumps
ilovemyfamily ilovemymom ilovemydad iloveyoubaby mypassword mysecretpassword
secretpassword supersecret supersecretpassword donotforget dontforgetme
opensesame letmeinnow accessgranted accessdenied
"""
COMMON_PASSWORDS: Final = frozenset(_WORDS.split())
