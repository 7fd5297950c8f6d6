/**
 * Passwords attackers try first. The bundled list holds the most common
 * passwords of public breach corpora (the SecLists / "top 10k" family) as
 * they appear, plus the base words those lists are built from; at load it is
 * expanded with the suffixes people add to pass "a letter and a digit" rules
 * (password1, Qwerty123!, dragon2024 ...), giving several thousand entries.
 * Compared case-insensitively.
 */
const LISTED = `
123456 123456789 12345678 12345 1234567 1234567890 111111 000000 123123 654321 666666 121212 112233 123321
7777777 88888888 987654321 11111111 147258369 159753 1q2w3e 1q2w3e4r 1q2w3e4r5t 1qaz2wsx 1qazxsw2 zaq12wsx
qwe123 qwer1234 qwerty1 qwerty12 qwerty123 qwerty1234 abc123 abcd1234 abc12345 a1b2c3 a1b2c3d4 a123456 a12345678
aa123456 aa12345678 asd123 asdf1234 zxc123 zxcv1234 q1w2e3r4 q1w2e3r4t5 1password password1 password12
password123 passw0rd p@ssw0rd p4ssw0rd pa55word pa55w0rd passw0rd1 letmein1 welcome1 welcome123 trustno1
iloveyou1 iloveyou2 monkey123 dragon123 master123 login123 admin123 admin1234 administrator1 root123 test123
test1234 testing123 user123 guest123 changeme1 changeme123 secret123 default1 hello123 hello1234 mypass123
football1 baseball1 superman1 batman123 michael1 jordan23 charlie1 shadow123 sunshine1 princess1 ashley123
azerty123 azerty1 qazwsx123 123qwe 123qweasd 123abc 123456a 123456q 1234qwer 12345qwert 123456abc 12qwaszx
q1w2e3 1a2b3c4d 11qq22ww 1111aaaa aaaa1111 a1s2d3f4 z1x2c3v4 qwerty12345 123qweasdzxc 0987654321 9876543210
`;

const WORDS = `
password pass passwd letmein welcome iloveyou monkey dragon master login admin administrator root toor test
testing user guest changeme secret default hello qwerty qwertyuiop asdfgh asdfghjkl zxcvbn zxcvbnm azerty
qwertz abc abcd abcde abcdef football baseball basketball soccer hockey golf tennis superman batman spiderman
ironman starwars pokemon naruto minecraft fortnite roblox michael jordan charlie shadow sunshine princess
ashley jessica jennifer michelle nicole daniel thomas robert matthew andrew joshua william christopher
anthony george hannah amanda melissa sarah samantha taylor hunter ranger buster tigger tiger lion eagle
falcon killer summer winter spring autumn freedom whatever computer internet cookie chocolate cheese pepper
ginger orange banana apple cherry lemon peanut butter coffee flower purple yellow silver golden diamond
money bitcoin crypto ethereum wallet trading trader vault cryptovault blockchain lovely loveme love angel
angels heaven blessed jesus christ church family friend friends mother father sister brother london paris
berlin newyork chicago boston dallas texas florida canada america england france germany italy spain mexico
brazil india china japan korea russia poland ukraine liverpool arsenal chelsea barcelona madrid juventus
united manchester yankees lakers cowboys steelers packers eagles dolphins raiders ferrari porsche mercedes
corvette mustang harley yamaha honda toyota nissan jaguar hello123 welcome letmein trustno matrix mustang
access master1 zxcvbnm1 hottie sexy lover blink sweety sweetheart babygirl baby darling honey sugar kitty
kitten puppy doggie buddy lucky maggie bailey bella daisy molly max sophie chloe lily zoe jack oliver harry
charlie george jasmine rainbow unicorn dolphin butterfly monster thunder lightning storm ninja pirate
warrior knight wizard magic gandalf hobbit matrix neo zombie vampire secret private public system server
network database oracle mysql linux ubuntu windows microsoft google facebook twitter instagram youtube
amazon apple123 samsung nokia motorola iphone android galaxy playstation xbox nintendo gamer player soccer1
school student teacher college university summer1 october november december january february march april
june july august september monday tuesday friday sunday weekend holiday christmas easter birthday
happy smile funny crazy cool awesome super perfect forever always never nothing everything someone
nobody anything qwerasdf qweasd qweasdzxc asdasd asdqwe zxczxc qazwsx qazxsw wsxedc edcrfv
`;

const SUFFIXES = [
  '1',
  '12',
  '123',
  '1234',
  '12345',
  '123456',
  '01',
  '007',
  '69',
  '99',
  '00',
  '11',
  '13',
  '21',
  '22',
  '23',
  '77',
  '88',
  '!1',
  '1!',
  '123!',
  '2000',
  '2010',
  '2015',
  '2016',
  '2017',
  '2018',
  '2019',
  '2020',
  '2021',
  '2022',
  '2023',
  '2024',
  '2025',
  '2026',
];

function build(): Set<string> {
  const set = new Set<string>();
  for (const p of LISTED.split(/\s+/)) if (p) set.add(p.toLowerCase());
  for (const w of WORDS.split(/\s+/)) {
    if (!w) continue;
    const word = w.toLowerCase();
    set.add(word);
    for (const s of SUFFIXES) set.add(word + s);
    set.add(`1${word}`);
    set.add(`123${word}`);
    // Leetspeak, the other thing rules teach people: p4ssw0rd1, l3tm31n.
    const leet = word.replace(/a/g, '4').replace(/e/g, '3').replace(/o/g, '0').replace(/i/g, '1').replace(/s/g, '5');
    if (leet !== word) {
      set.add(leet);
      set.add(`${leet}1`);
      set.add(`${leet}123`);
    }
  }
  return set;
}

export const COMMON_PASSWORDS: ReadonlySet<string> = build();
