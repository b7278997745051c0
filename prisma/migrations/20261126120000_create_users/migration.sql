-- CreateTable
CREATE TABLE "users" (
    "username" VARCHAR(64) NOT NULL,
    "date_of_birth" DATE NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "users_pkey" PRIMARY KEY ("username")
);
