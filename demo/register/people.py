"""Who the demo children are: first names and surnames by background, the mix of
SSDA903 ethnicities (and of unaccompanied asylum-seeking children's) and of ages, the
people named as providers' contacts, and UPNs with the DfE's check letter."""

from __future__ import annotations

from .common import _words

BOYS = {
    "british": _words(
        "Oliver Harry George Jack Charlie Thomas Jacob Alfie Riley William James Joshua Noah "
        "Leo Oscar Archie Freddie Tyler Kai Callum Liam Mason Logan Ethan Lewis Kieran Connor "
        "Reece Jayden Ryan Bradley Ben Sam Max Toby Finley Theo Louie Ellis Harrison"
    ),
    "european": _words(
        "Jakub Kacper Szymon Filip Mateusz Lukas Matas Andrei Ionut Darius Mihai Nikola Luka "
        "Dawid Patryk Aleksander"
    ),
    "irish": _words("Patrick Sean Michael John Martin Francis Christy Johnny Paddy Declan"),
    "south_asian": _words(
        "Mohammed Muhammad Ayaan Zain Arjun Aarav Rohan Ibrahim Hamza Yusuf Ali Jaskaran Dev "
        "Rayan Imran Bilal Harjot"
    ),
    "african": _words(
        "Daniel David Emmanuel Samuel Joshua Michael Tobi Kwame Kofi Chidi Femi Tunde Abdi "
        "Mohamed Yonas Dawit Tesfay"
    ),
    "caribbean": _words(
        "Jamal Tyrese Kai Marcus Andre Jordan Isaiah Elijah Malachi Reuben Joel Nathaniel "
        "Leon Trey Kobe"
    ),
    "chinese": _words("Ethan Ryan Jason Wei Hao Jun Kevin Yi"),
    "other": _words(
        "Ahmad Mustafa Omid Reza Hamid Karim Samir Yousef Omar Khalid Hussein Amanuel "
        "Yohannes Saleh Adnan Bashir Arman Dilan Klajdi Ergi Minh Tuan"
    ),
}
GIRLS = {
    "british": _words(
        "Olivia Amelia Isla Ava Emily Poppy Ella Lily Mia Jessica Sophie Grace Evie Ruby "
        "Chloe Freya Daisy Millie Holly Megan Lacey Kayla Paige Leah Courtney Ellie Molly "
        "Scarlett Phoebe Isabelle Charlotte Hannah Keira Demi Jade Bethany Abigail Summer "
        "Harper"
    ),
    "european": _words(
        "Zuzanna Julia Maja Lena Emilia Gabriela Ioana Elena Andreea Ieva Gabija Natalia "
        "Wiktoria Oliwia"
    ),
    "irish": _words("Mary Bridget Margaret Kathleen Nora Ellen Roseanne Shannon Kerry Siobhan"),
    "south_asian": _words(
        "Aisha Amira Zara Priya Anaya Maryam Hafsa Inaya Simran Jasleen Riya Sana Noor Fatima "
        "Ayesha"
    ),
    "african": _words(
        "Blessing Favour Precious Grace Esther Deborah Adaeze Chioma Amara Ama Abena Ifeoma "
        "Hodan Ayan Selam Ruth"
    ),
    "caribbean": _words(
        "Aaliyah Destiny Jada Kiara Shanice Tia Chantelle Naomi Imani Nia Kezia Amani"
    ),
    "chinese": _words("Chloe Emily Mei Xin Ling Jasmine Hui Amy"),
    "other": _words("Leila Maryam Yasmin Nadia Rania Shirin Hana Lina Sara Dalia Elsa Ardita"),
}
SURNAMES = {
    "british": _words(
        "Smith Jones Williams Brown Taylor Davies Wilson Evans Thomas Johnson Roberts Walker "
        "Wright Robinson Thompson White Hughes Edwards Green Hall Wood Harris Lewis Martin "
        "Jackson Clarke Turner Hill Scott Cooper Morris Ward Moore King Watson Baker Harrison "
        "Morgan Young Allen Mitchell Anderson Phillips Bell Parker Marsh Fowler Hammond "
        "Stevens Barnes Knight Pearce Chapman Webb Holmes Mills Gibson Palmer Ellis Lloyd "
        "Dixon Kemp Cox Bailey Payne Russell Burgess Foster"
    ),
    "european": _words(
        "Nowak Kowalski Wisniewski Kaminski Lewandowski Zielinski Popescu Ionescu Dumitru "
        "Kazlauskas Petrauskas Horvath Novak Ivanov Silva Santos Ferreira Costa"
    ),
    "irish": _words(
        "Ward McDonagh Connors O'Brien Murphy Doherty Kelly Maughan Sweeney Quinn Byrne "
        "McCarthy Reilly"
    ),
    "south_asian": _words(
        "Khan Ahmed Hussain Ali Patel Shah Singh Sharma Mahmood Iqbal Akhtar Rahman Miah "
        "Chowdhury Uddin Islam Kumar Gill Sandhu Malik"
    ),
    "african": _words(
        "Okafor Adeyemi Mensah Owusu Boateng Asante Okonkwo Nwosu Adebayo Afolabi Bello "
        "Mohamed Abdi Hassan Tesfaye Haile Kamara Sesay Conteh Mwangi Banda"
    ),
    "caribbean": _words(
        "Campbell Francis Grant Henry Reid Gordon Richards Spencer Samuels Walters Gayle "
        "Blake Stewart Brown Williams"
    ),
    "chinese": _words("Chen Wang Li Zhang Liu Wong Lam Cheung Ng Chan"),
    "other": _words(
        "Ahmadi Mohammadi Rahimi Hosseini Karimi Sultani Haidari Osman Mahmoud Ibrahim "
        "Abdullah Hamad Tesfamariam Berhane Abdelrahman Hoxha Gashi Shehu Nguyen Tran Amin "
        "Rasul"
    ),
}
# Where names come from, by 903 ethnicity: (first-name groups, surname groups).
NAME_GROUPS = {
    "WBRI": (["british"], ["british"]),
    "WIRI": (["irish", "british"], ["irish"]),
    "WOTH": (["european"], ["european"]),
    "WIRT": (["irish"], ["irish"]),
    "WROM": (["european"], ["european"]),
    "MWBC": (["british", "caribbean"], ["british", "caribbean"]),
    "MWBA": (["british", "african"], ["british", "african"]),
    "MWAS": (["british", "south_asian"], ["british", "south_asian"]),
    "MOTH": (["british", "caribbean", "other"], ["british", "other", "european"]),
    "AIND": (["south_asian"], ["south_asian"]),
    "APKN": (["south_asian"], ["south_asian"]),
    "ABAN": (["south_asian"], ["south_asian"]),
    "AOTH": (["other", "south_asian"], ["other"]),
    "BCRB": (["caribbean", "british"], ["caribbean"]),
    "BAFR": (["african"], ["african"]),
    "BOTH": (["caribbean", "african"], ["caribbean", "african"]),
    "CHNE": (["chinese"], ["chinese"]),
    "OOTH": (["other"], ["other"]),
    "REFU": (["british", "other"], ["british", "other"]),
    "NOBT": (["british", "european"], ["british", "european"]),
}
# Roughly England's children looked after, Kent-flavoured.
ETHNICITY = {
    "WBRI": 660,
    "WOTH": 60,
    "WIRI": 5,
    "WIRT": 6,
    "WROM": 6,
    "MWBC": 35,
    "MWBA": 15,
    "MWAS": 15,
    "MOTH": 35,
    "AIND": 6,
    "APKN": 8,
    "ABAN": 6,
    "AOTH": 10,
    "BCRB": 15,
    "BAFR": 30,
    "BOTH": 12,
    "CHNE": 3,
    "OOTH": 20,
    "REFU": 3,
    "NOBT": 5,
}
# Unaccompanied asylum-seeking children (Kent receives many at Dover).
ETHNICITY_UASC = {"AOTH": 30, "BAFR": 30, "OOTH": 32, "WOTH": 5, "BOTH": 3}
# Ages today (0–17): about 5% under 1, 13% 1–4, 18% 5–9, 39% 10–15, 25% 16–17.
AGE_WEIGHTS = [50] + [32] * 4 + [36] * 5 + [65] * 6 + [125] * 2
PERSON_FIRST = ["Alison", "Mark", "Helen", "Gary", "Sarah", "Neil", "Joanne", "Paul", "Lisa"]
PERSON_LAST = ["Bradshaw", "Coles", "Dunn", "Fenton", "Garner", "Hurst", "Ingram", "Lowe"]
# Kent's DfE local authority number first: the LA part of most demo UPNs.
UPN_LA_CODES = [("886", 85), ("887", 5), ("881", 4), ("845", 3), ("306", 3)]
UPN_CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def upn(la_code: str, establishment: str, year: str, serial: str) -> str:
    """A UPN with the DfE's check letter: weights 2–13 over the 12 digits, modulo 23."""
    digits = la_code + establishment + year + serial
    total = sum(int(d) * w for d, w in zip(digits, range(2, 14), strict=True))
    return UPN_CHECK_LETTERS[total % 23] + digits
