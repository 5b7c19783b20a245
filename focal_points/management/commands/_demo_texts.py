"""Reference data and complaint texts for `seed_demo` (Bahasa Indonesia, as reporters write)."""

from __future__ import annotations

# (slug, name, short name, kind, time zone, responses need approval,
#  [(unit slug, unit name, unit short name, time zone)],
#  [(category slug, name, English name, default tier)])
BPOM = (
    "bpom",
    "Badan Pengawas Obat dan Makanan",
    "BPOM",
    "body",
    "Asia/Jakarta",
    True,
    [
        ("bbpom-jakarta", "Balai Besar POM di Jakarta", "BBPOM Jakarta", "Asia/Jakarta"),
        ("bbpom-surabaya", "Balai Besar POM di Surabaya", "BBPOM Surabaya", "Asia/Jakarta"),
        ("bbpom-makassar", "Balai Besar POM di Makassar", "BBPOM Makassar", "Asia/Makassar"),
        ("bbpom-jayapura", "Balai Besar POM di Jayapura", "BBPOM Jayapura", "Asia/Jayapura"),
    ],
    [
        ("obat", "Obat", "Medicines", "standard"),
        ("obat-tradisional", "Obat tradisional", "Traditional medicines", "field"),
        ("suplemen-kesehatan", "Suplemen kesehatan", "Health supplements", "standard"),
        ("kosmetika", "Kosmetika", "Cosmetics", "standard"),
        ("pangan-olahan", "Pangan olahan", "Processed food", "field"),
    ],
)

# Out of BPOM's remit: reporters see this guidance instead of the form.
# (slug, name, English name, guidance, English guidance)
BPOM_OUT_OF_SCOPE = (
    "narkotika",
    "Peredaran narkotika",
    "Narcotics trafficking",
    "Peredaran narkotika adalah tindak pidana. Laporkan kepada Badan Narkotika Nasional "
    "(telepon 184) atau kepolisian terdekat.",
    "Trafficking in narcotics is a crime. Report it to the National Narcotics Board (BNN, "
    "phone 184) or the nearest police station.",
)

GROUP_AGENCIES = [
    (
        "kemendagri",
        "Kementerian Dalam Negeri",
        "Kemendagri",
        "ministry",
        "Asia/Jakarta",
        True,
        [("dukcapil", "Direktorat Jenderal Kependudukan dan Pencatatan Sipil", "Ditjen Dukcapil")],
        [
            ("ktp-el", "KTP elektronik", "Electronic identity card", "standard"),
            (
                "kartu-keluarga",
                "Kartu keluarga dan akta",
                "Family card and certificates",
                "standard",
            ),
            ("pemda", "Penyelenggaraan pemerintahan daerah", "Local government", "field"),
        ],
    ),
    (
        "kemenlu",
        "Kementerian Luar Negeri",
        "Kemenlu",
        "ministry",
        "Asia/Jakarta",
        True,
        [("dit-pwni", "Direktorat Pelindungan Warga Negara Indonesia", "Dit. PWNI")],
        [
            ("pelindungan-wni", "Pelindungan WNI di luar negeri", "Citizens abroad", "field"),
            ("legalisasi", "Legalisasi dokumen", "Document legalisation", "information"),
        ],
    ),
    (
        "kemenhan",
        "Kementerian Pertahanan",
        "Kemenhan",
        "ministry",
        "Asia/Jakarta",
        True,
        [("ditjen-pothan", "Direktorat Jenderal Potensi Pertahanan", "Ditjen Pothan")],
        [
            ("kepegawaian", "Rekrutmen dan kepegawaian", "Recruitment and personnel", "standard"),
            ("aset-lahan", "Aset dan lahan", "Assets and land", "field"),
        ],
    ),
    (
        "kemenimipas",
        "Kementerian Imigrasi dan Pemasyarakatan",
        "Kemenimipas",
        "ministry",
        "Asia/Jakarta",
        True,
        [("imigrasi", "Direktorat Jenderal Imigrasi", "Ditjen Imigrasi")],
        [
            ("paspor", "Paspor dan keimigrasian", "Passports and immigration", "standard"),
            ("izin-tinggal", "Izin tinggal dan visa", "Stay permits and visas", "standard"),
            ("pemasyarakatan", "Pemasyarakatan", "Correctional services", "field"),
        ],
    ),
    (
        "komdigi",
        "Kementerian Komunikasi dan Digital",
        "Komdigi",
        "ministry",
        "Asia/Jakarta",
        False,
        [("wasdig", "Direktorat Jenderal Pengawasan Ruang Digital", "Ditjen Wasdig")],
        [
            ("konten-negatif", "Konten negatif dan judi daring", "Harmful content", "standard"),
            ("telekomunikasi", "Layanan telekomunikasi", "Telecommunications", "standard"),
            ("data-pribadi", "Pelindungan data pribadi", "Personal data", "field"),
        ],
    ),
    (
        "kemenpanrb",
        "Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi",
        "KemenPANRB",
        "ministry",
        "Asia/Jakarta",
        True,
        [("deputi-yanlik", "Deputi Bidang Pelayanan Publik", "Deputi Yanlik")],
        [
            ("seleksi-casn", "Seleksi CASN", "Civil service recruitment", "standard"),
            ("standar-pelayanan", "Standar pelayanan publik", "Service standards", "standard"),
        ],
    ),
    (
        "kejagung",
        "Kejaksaan Agung Republik Indonesia",
        "Kejaksaan Agung",
        "body",
        "Asia/Jakarta",
        True,
        [("kejati-dki", "Kejaksaan Tinggi DKI Jakarta", "Kejati DKI")],
        [
            ("tilang", "Denda tilang dan barang bukti", "Traffic fines", "information"),
            ("layanan-hukum", "Layanan hukum", "Legal services", "standard"),
        ],
    ),
    (
        "tni",
        "Tentara Nasional Indonesia",
        "TNI",
        "body",
        "Asia/Jakarta",
        True,
        [("kodam-jaya", "Komando Daerah Militer Jayakarta", "Kodam Jaya")],
        [
            ("penerimaan-prajurit", "Penerimaan prajurit", "Recruitment", "standard"),
            ("lahan-tni", "Lahan dan bangunan TNI", "Land and buildings", "field"),
        ],
    ),
    (
        "polri",
        "Kepolisian Negara Republik Indonesia",
        "Polri",
        "body",
        "Asia/Jakarta",
        True,
        [("polda-metro", "Kepolisian Daerah Metro Jaya", "Polda Metro Jaya")],
        [
            ("sim", "Surat Izin Mengemudi (SIM)", "Driving licences", "standard"),
            ("skck", "SKCK", "Police clearance certificates", "information"),
            ("laporan-polisi", "Penanganan laporan polisi", "Police reports", "field"),
        ],
    ),
    (
        "pemprov-dki",
        "Pemerintah Provinsi DKI Jakarta",
        "Pemprov DKI Jakarta",
        "local_government",
        "Asia/Jakarta",
        False,
        [("dlh-dki", "Dinas Lingkungan Hidup Provinsi DKI Jakarta", "DLH DKI")],
        [
            ("kebersihan", "Kebersihan dan sampah", "Waste and cleanliness", "standard"),
            ("jalan-drainase", "Jalan dan drainase", "Roads and drainage", "field"),
            ("transportasi", "Transportasi umum", "Public transport", "standard"),
        ],
    ),
]

KEMENKOPOLKAM = (
    "kemenkopolkam",
    "Kementerian Koordinator Bidang Politik dan Keamanan",
    "Kemenko Polkam",
)
OMBUDSMAN = ("ombudsman", "Ombudsman Republik Indonesia", "Ombudsman RI")
# The Ombudsman liaison follows these agencies (BPOM and the services most complained about).
OMBUDSMAN_AGENCIES = ["bpom", "kemendagri", "kemenimipas", "polri", "pemprov-dki"]

# A local non-working day, observed by Pemprov DKI Jakarta and its units only.
LOCAL_DAY = ("pemprov-dki", "2026-06-22", "Hari Ulang Tahun Kota Jakarta")

PLACES = [
    "Jakarta Timur", "Jakarta Selatan", "Bekasi", "Depok", "Tangerang", "Bogor", "Surabaya",
    "Sidoarjo", "Malang", "Makassar", "Gowa", "Maros", "Jayapura", "Sentani", "Merauke",
    "Bandung", "Semarang", "Yogyakarta", "Denpasar", "Medan",
]  # fmt: skip

NAMES = [
    "Budi Santoso", "Siti Rahmawati", "Agus Wijaya", "Dewi Lestari", "Rina Marlina",
    "Andi Pratama", "Yohanes Wenda", "Made Sudarsana", "Nur Aini", "Rizky Ramadhan",
    "Fransiska Tanamal", "Hendra Gunawan", "Sri Wahyuni", "Ahmad Fauzi", "Putu Ayu Lestari",
    "Daeng Baso", "Maria Kambu", "Yusuf Hidayat", "Lina Marpaung", "Teguh Prasetyo",
]  # fmt: skip

# Per category slug: (kind, title, body). {place} is filled in; bodies read as typed by a
# reporter, with the details a verifier needs.
TEXTS: dict[str, list[tuple[str, str, str]]] = {
    "obat": [
        (
            "complaint",
            "Apotek di {place} menjual obat keras tanpa resep",
            "Saya membeli antibiotik amoksisilin di sebuah apotek di {place} tanpa resep dokter. "
            "Petugas tidak bertanya apa pun dan langsung memberikan dua strip. Saya khawatir "
            "antibiotik dijual bebas seperti ini.",
        ),
        (
            "complaint",
            "Obat sirup kedaluwarsa masih dipajang di toko obat {place}",
            "Di rak toko obat dekat pasar {place} saya menemukan obat batuk sirup yang tanggal "
            "kedaluwarsanya sudah lewat tiga bulan. Penjual menolak menariknya dari rak.",
        ),
        (
            "information_request",
            "Cara memeriksa nomor izin edar obat yang dijual daring",
            "Saya ingin membeli obat asam urat dari toko daring. Bagaimana cara memastikan nomor "
            "izin edarnya terdaftar di BPOM? Nomor yang tertera di kemasan tidak ditemukan saat "
            "saya cari.",
        ),
    ],
    "obat-tradisional": [
        (
            "complaint",
            "Jamu pegal linu di {place} diduga mengandung bahan kimia obat",
            "Setelah minum jamu pegal linu yang dijual keliling di {place}, ayah saya mengalami "
            "nyeri lambung dan bengkak. Kemasannya tanpa nomor izin edar. Saya khawatir jamu ini "
            "dicampur bahan kimia obat.",
        ),
        (
            "complaint",
            "Obat herbal pelangsing tanpa izin edar dipromosikan di media sosial",
            "Akun penjual di media sosial menjual kapsul herbal pelangsing dengan klaim turun 10 "
            "kg dalam seminggu. Produk dikirim dari {place} dan tidak mencantumkan nomor "
            "registrasi BPOM.",
        ),
    ],
    "suplemen-kesehatan": [
        (
            "complaint",
            "Suplemen vitamin C impor tanpa label berbahasa Indonesia",
            "Saya membeli suplemen vitamin C di minimarket {place}. Seluruh label berbahasa "
            "asing, tidak ada nomor izin edar dan nama importir. Apakah produk ini boleh dijual?",
        ),
        (
            "suggestion",
            "Usul daftar suplemen terdaftar yang mudah dicari",
            "Saya mengusulkan agar daftar suplemen kesehatan yang terdaftar bisa dicari dengan "
            "nama dagang di ponsel, karena banyak produk di {place} memakai nama yang mirip.",
        ),
    ],
    "kosmetika": [
        (
            "complaint",
            "Krim pemutih wajah mengandung merkuri dijual di pasar {place}",
            "Krim pemutih tanpa merek dijual bebas di pasar {place}. Setelah dua minggu memakai, "
            "wajah saya memerah dan perih. Teman saya yang memakai krim sama mengalami hal serupa.",
        ),
        (
            "complaint",
            "Kosmetik ilegal dijual murah di lokapasar",
            "Sebuah toko di lokapasar yang beralamat di {place} menjual lipstik dan bedak "
            "dengan harga sangat murah. Nomor notifikasi di kemasan tidak terdaftar saat saya "
            "periksa di situs BPOM.",
        ),
        (
            "information_request",
            "Apakah serum wajah racikan klinik kecantikan perlu izin BPOM",
            "Klinik kecantikan di {place} menjual serum racikan sendiri dalam botol tanpa label. "
            "Apakah produk seperti ini wajib memiliki nomor notifikasi kosmetik?",
        ),
    ],
    "pangan-olahan": [
        (
            "complaint",
            "Bakso di {place} diduga mengandung boraks",
            "Bakso yang dijual di kantin sekolah anak saya di {place} terasa sangat kenyal dan "
            "tidak basi walau disimpan dua hari. Saya khawatir mengandung boraks.",
        ),
        (
            "complaint",
            "Makanan ringan kemasan berjamur padahal belum kedaluwarsa",
            "Saya membeli makanan ringan kemasan di warung {place}. Isinya berjamur, padahal "
            "tanggal kedaluwarsa masih empat bulan lagi. Kemasan tidak rusak.",
        ),
        (
            "complaint",
            "Minuman kemasan tanpa izin edar dijual di sekolah",
            "Pedagang di depan sekolah dasar di {place} menjual minuman berwarna mencolok tanpa "
            "label, tanpa nomor izin edar dan tanpa tanggal kedaluwarsa.",
        ),
    ],
    "ktp-el": [
        (
            "complaint",
            "KTP elektronik belum dicetak setelah tiga bulan",
            "Saya merekam data KTP elektronik di Disdukcapil {place} tiga bulan lalu. Setiap "
            "kali datang, petugas mengatakan blanko habis. Saya membutuhkan KTP untuk melamar "
            "pekerjaan.",
        ),
        (
            "complaint",
            "Diminta biaya untuk mempercepat pencetakan KTP-el",
            "Seorang oknum di kantor kecamatan {place} menawarkan pencetakan KTP elektronik "
            "dalam sehari dengan biaya Rp150.000. Bukankah layanan ini gratis?",
        ),
    ],
    "kartu-keluarga": [
        (
            "complaint",
            "Perubahan data kartu keluarga tidak kunjung selesai",
            "Saya mengajukan penambahan anggota keluarga di kartu keluarga di {place} sejak "
            "lima minggu lalu. Status di aplikasi masih diproses tanpa kejelasan.",
        ),
        (
            "information_request",
            "Syarat penerbitan akta kelahiran untuk anak yang lahir di luar negeri",
            "Anak saya lahir di Malaysia. Dokumen apa saja yang perlu disiapkan untuk akta "
            "kelahiran di Disdukcapil {place}?",
        ),
    ],
    "pemda": [
        (
            "suggestion",
            "Usul jam layanan kecamatan diperpanjang pada hari Sabtu",
            "Banyak warga {place} bekerja pada hari kerja. Saya mengusulkan layanan "
            "administrasi kecamatan juga buka pada Sabtu pagi.",
        ),
    ],
    "pelindungan-wni": [
        (
            "complaint",
            "Keluarga kami tertahan di luar negeri dan belum dibantu",
            "Adik saya bekerja di luar negeri dan paspornya ditahan majikan. Kami sudah "
            "menghubungi perwakilan RI dua minggu lalu, tetapi belum ada kabar.",
        ),
    ],
    "legalisasi": [
        (
            "information_request",
            "Berapa lama legalisasi ijazah untuk keperluan studi",
            "Saya akan melanjutkan studi dan perlu legalisasi ijazah. Berapa hari kerja "
            "prosesnya dan apakah bisa diajukan daring dari {place}?",
        ),
    ],
    "kepegawaian": [
        (
            "complaint",
            "Pengumuman hasil seleksi pegawai tidak dapat diakses",
            "Situs pengumuman hasil seleksi pegawai tidak dapat dibuka sejak kemarin, padahal "
            "batas waktu sanggahan tinggal dua hari.",
        ),
    ],
    "aset-lahan": [
        (
            "complaint",
            "Batas lahan warga dengan lahan instansi di {place} belum jelas",
            "Pagar baru dibangun melewati batas tanah warga di {place}. Warga meminta "
            "pengukuran ulang bersama kantor pertanahan.",
        ),
    ],
    "paspor": [
        (
            "complaint",
            "Antrean paspor daring di {place} selalu penuh",
            "Sudah tiga minggu saya mencoba mendapatkan kuota antrean paspor di kantor imigrasi "
            "{place}, tetapi kuota selalu habis beberapa detik setelah dibuka.",
        ),
        (
            "complaint",
            "Calo menawarkan jasa paspor kilat di depan kantor imigrasi",
            "Di depan kantor imigrasi {place} beberapa orang menawarkan paspor jadi dalam dua "
            "hari dengan biaya tambahan. Mereka mengaku kenal dengan petugas.",
        ),
    ],
    "izin-tinggal": [
        (
            "information_request",
            "Syarat perpanjangan izin tinggal terbatas untuk pasangan WNI",
            "Suami saya warga negara asing dengan izin tinggal terbatas yang habis bulan depan. "
            "Dokumen apa saja yang perlu kami siapkan untuk memperpanjangnya?",
        ),
    ],
    "pemasyarakatan": [
        (
            "complaint",
            "Pungutan saat membesuk keluarga di lembaga pemasyarakatan",
            "Saat membesuk keluarga di lapas {place}, kami diminta membayar Rp50.000 agar "
            "waktu kunjungan diperpanjang. Tidak ada tanda terima.",
        ),
    ],
    "konten-negatif": [
        (
            "complaint",
            "Situs judi daring memakai nama instansi pemerintah",
            "Saya menemukan situs judi daring yang memakai subdomain situs pemerintah daerah "
            "{place}. Tautannya menyebar di grup percakapan warga.",
        ),
        (
            "complaint",
            "Pesan singkat penipuan berhadiah terus masuk",
            "Setiap hari saya menerima SMS yang mengaku dari bank dan meminta kode OTP. Nomor "
            "pengirim selalu berganti.",
        ),
    ],
    "telekomunikasi": [
        (
            "complaint",
            "Sinyal seluler hilang di desa kami sejak sebulan",
            "Sejak menara di dekat desa kami di {place} rusak, sinyal seluler hilang. Warga "
            "kesulitan menghubungi puskesmas saat darurat.",
        ),
    ],
    "data-pribadi": [
        (
            "complaint",
            "Data KTP saya dipakai untuk pinjaman daring tanpa izin",
            "Saya ditagih pinjaman daring yang tidak pernah saya ajukan. Penagih menyebut data "
            "KTP dan nomor telepon saya lengkap.",
        ),
    ],
    "seleksi-casn": [
        (
            "complaint",
            "Nilai seleksi kompetensi CASN berbeda dengan yang tampil di layar",
            "Nilai yang tampil di layar saat ujian di {place} berbeda dengan nilai pada "
            "pengumuman resmi. Saya sudah menyimpan foto layar hasil ujian.",
        ),
    ],
    "standar-pelayanan": [
        (
            "suggestion",
            "Usul maklumat pelayanan dipasang di setiap loket",
            "Banyak kantor layanan di {place} belum memasang standar pelayanan, biaya dan "
            "waktu penyelesaian di loket. Mohon diwajibkan.",
        ),
    ],
    "tilang": [
        (
            "information_request",
            "Cara mengambil SIM yang ditahan setelah membayar denda tilang",
            "Saya sudah membayar denda tilang elektronik. Di mana dan kapan SIM yang ditahan "
            "bisa saya ambil di {place}?",
        ),
    ],
    "layanan-hukum": [
        (
            "complaint",
            "Pengembalian barang bukti sepeda motor belum dilaksanakan",
            "Putusan pengadilan sudah berkekuatan hukum tetap sejak dua bulan lalu, tetapi "
            "sepeda motor saya yang menjadi barang bukti belum dikembalikan.",
        ),
    ],
    "penerimaan-prajurit": [
        (
            "information_request",
            "Jadwal pendaftaran calon tamtama tahun depan",
            "Kapan pendaftaran calon tamtama dibuka dan di mana tempat pendaftaran terdekat "
            "dari {place}?",
        ),
    ],
    "lahan-tni": [
        (
            "complaint",
            "Saluran air di kompleks tertutup bangunan baru",
            "Bangunan baru di kompleks dekat rumah kami di {place} menutup saluran air, "
            "sehingga jalan kampung tergenang setiap hujan.",
        ),
    ],
    "sim": [
        (
            "complaint",
            "Biaya perpanjangan SIM di {place} melebihi tarif resmi",
            "Saat memperpanjang SIM A di Satpas {place} saya diminta membayar Rp350.000 "
            "termasuk tes kesehatan dan psikologi yang tidak saya jalani.",
        ),
        (
            "complaint",
            "Ujian praktik SIM diulang berkali-kali tanpa penjelasan",
            "Saya sudah empat kali gagal ujian praktik SIM C di {place} tanpa diberi tahu "
            "kesalahannya. Peserta lain yang membayar calo langsung lulus.",
        ),
    ],
    "skck": [
        (
            "information_request",
            "Apakah SKCK bisa diurus di polsek sesuai domisili",
            "Saya tinggal di {place} tetapi KTP saya dari luar daerah. Apakah SKCK bisa diurus "
            "di polsek tempat saya tinggal sekarang?",
        ),
    ],
    "laporan-polisi": [
        (
            "complaint",
            "Laporan kehilangan sepeda motor belum ditindaklanjuti",
            "Saya melaporkan kehilangan sepeda motor di Polsek {place} dua bulan lalu. Sampai "
            "sekarang belum ada pemberitahuan perkembangan penyelidikan.",
        ),
    ],
    "kebersihan": [
        (
            "complaint",
            "Sampah menumpuk di pinggir kali selama seminggu",
            "Sampah di tempat pembuangan sementara dekat kali di {place} tidak diangkut selama "
            "seminggu. Baunya menyengat dan banyak lalat.",
        ),
    ],
    "jalan-drainase": [
        (
            "complaint",
            "Jalan berlubang di {place} membahayakan pengendara",
            "Ada lubang besar di jalan utama {place} dekat halte. Sudah dua pengendara motor "
            "terjatuh minggu ini. Lubang tertutup genangan saat hujan.",
        ),
        (
            "complaint",
            "Saluran air tersumbat menyebabkan banjir di permukiman",
            "Saluran air di permukiman kami di {place} tersumbat lumpur. Setiap hujan deras "
            "air masuk ke rumah warga.",
        ),
    ],
    "transportasi": [
        (
            "suggestion",
            "Usul penambahan armada bus pada jam sibuk",
            "Bus rute {place} selalu penuh pada pukul 06.00-08.00. Penumpang menunggu lebih "
            "dari 30 menit. Mohon armada ditambah pada jam sibuk.",
        ),
    ],
}

TRIAGE_TEXTS = [
    (
        "complaint",
        "Pungutan liar saat mengurus surat keterangan di kelurahan",
        "Saya diminta membayar Rp100.000 untuk surat keterangan domisili di kelurahan. Tidak "
        "ada tanda terima. Saya tidak tahu harus melapor ke instansi mana.",
    ),
    (
        "information_request",
        "Ke mana saya melapor tentang bantuan sosial yang tidak tepat sasaran",
        "Tetangga saya yang mampu menerima bantuan sosial, sedangkan keluarga kami yang kurang "
        "mampu tidak terdaftar. Instansi mana yang berwenang?",
    ),
]

ARCHIVE_REASONS = [
    "Bukan pelayanan publik: sengketa perdata antarwarga",
    "Isi laporan tidak jelas dan tidak dapat ditindaklanjuti",
    "Laporan berisi promosi (spam)",
]

DRAFT_ANSWERS = [
    "Terima kasih atas laporan Anda. Petugas kami telah memeriksa lokasi pada {date} dan "
    "menemukan pelanggaran sebagaimana dilaporkan. Produk telah diamankan dan pelaku usaha "
    "diberi sanksi administratif.",
    "Terima kasih atas laporan Anda. Kami telah berkoordinasi dengan unit terkait. Layanan "
    "sudah kembali normal sejak {date}. Jika masalah berulang, sampaikan melalui laporan ini.",
    "Terima kasih atas pertanyaan Anda. Informasi yang Anda minta tersedia di laman layanan "
    "kami; persyaratannya kami lampirkan dalam jawaban ini.",
]
NOTES = [
    "Pelapor sudah dihubungi melalui telepon untuk konfirmasi lokasi.",
    "Menunggu hasil uji laboratorium sampel.",
    "Pemeriksaan lapangan dijadwalkan minggu depan.",
    "Koordinasi dengan dinas kesehatan setempat sudah dilakukan.",
]
HOLD_MESSAGES = [
    "Mohon lengkapi alamat lengkap lokasi kejadian dan foto produk atau kemasannya.",
    "Mohon sebutkan tanggal kejadian dan nama kantor layanan yang Anda datangi.",
]
SUPPLY_MESSAGES = [
    "Lokasinya di Jalan Melati nomor 12, dekat pasar. Foto kemasan saya lampirkan.",
    "Kejadiannya hari Senin pagi di loket 3.",
]
OBJECTIONS = [
    "Produk yang sama masih dijual di tempat itu sampai hari ini.",
    "Jawaban tidak menjawab pertanyaan saya tentang biaya yang diminta petugas.",
]
RATING_COMMENTS = [
    "Ditangani dengan cepat dan jelas.",
    "Jawaban jelas, tetapi prosesnya agak lama.",
    "",
    "Terima kasih, masalah sudah selesai.",
]
